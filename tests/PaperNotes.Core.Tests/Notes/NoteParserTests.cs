using PaperNotes.Core.Notes;

namespace PaperNotes.Core.Tests.Notes;

public class NoteParserTests
{
    /// <summary>Renders what the parser found, one per line: "KIND key form line:col-line:col".</summary>
    private static string Render(string text)
    {
        var note = NoteParser.Parse("/w/note.md", text);
        var lines = new List<string>();
        foreach (var c in note.Citations)
        {
            var r = note.Lines.GetRange(c.KeySpan);
            lines.Add($"cite {c.Key} {c.Form} {r.Start}-{r.End}");
        }
        foreach (var l in note.WikiLinks)
        {
            var r = note.Lines.GetRange(l.TargetSpan);
            lines.Add($"wiki {l.Target}{(l.Label is null ? "" : "|" + l.Label)} {r.Start}-{r.End}");
        }
        return string.Join("\n", lines);
    }

    private static void Check(string text, string expected) => Assert.Equal(expected.Trim(), Render(text).Trim());

    [Fact]
    public void Bracketed_citations_with_locators_and_several_keys() => Check(
        "As shown [see @smith04, p. 33; @doe99, ch. 2].\n",
        """
        cite smith04 Bracketed 0:15-0:22
        cite doe99 Bracketed 0:32-0:37
        """);

    [Fact]
    public void Suppress_author_in_text_and_braced_forms() => Check(
        "Smith says [-@smith04]. @doe99 [p. 3] and @{odd:key/with.chars} too.\n",
        """
        cite smith04 SuppressAuthor 0:14-0:21
        cite doe99 InText 0:25-0:30
        cite odd:key/with.chars InText 0:44-0:62
        """);

    [Fact]
    public void Trailing_punctuation_is_not_part_of_the_key() => Check(
        "See @smith04. And @a:b.c, @x-y; @_under_ @key: @ends-\n",
        """
        cite smith04 InText 0:5-0:12
        cite a:b.c InText 0:19-0:24
        cite x-y InText 0:27-0:30
        cite _under_ InText 0:33-0:40
        cite key InText 0:42-0:45
        cite ends InText 0:48-0:52
        """);

    [Fact]
    public void Email_addresses_and_escaped_at_are_not_citations() => Check(
        "Write to ada@example.com or \\@notakey, cite @real.\n",
        "cite real InText 0:45-0:49");

    [Fact]
    public void Code_html_urls_math_and_front_matter_never_hold_citations() => Check(
        """
        ---
        title: About @notfm
        ---
        Text `@incode` and <span data-x="@inhtml">@inspan</span>.
        A [link @inlabel](https://example.com/@inurl "@intitle") and <https://x.org/@auto>.
        Bare https://example.org/@bare and $x = @math$.

            @indented

        ```
        @fenced
        ```
        <div>
        @htmlblock
        </div>
        """,
        """
        cite inspan InText 3:43-3:49
        cite inlabel Bracketed 4:9-4:16
        """);

    [Fact]
    public void Wiki_links_with_and_without_labels() => Check(
        "See [[vaswani2017]] and [[notes/other.md|the other note]] but not [[]] or [[a\nb]].\n",
        """
        wiki vaswani2017 0:6-0:17
        wiki notes/other.md|the other note 0:26-0:40
        """);

    [Fact]
    public void Columns_count_utf16_code_units_with_crlf_emoji_and_cjk() => Check(
        "---\r\ntitle: x\r\n---\r\n😀 研究 [@key1]\r\n日本語テキスト @key2 😀😀 [[リンク]]\r\n",
        """
        cite key1 Bracketed 3:8-3:12
        cite key2 InText 4:9-4:13
        wiki リンク 4:21-4:24
        """);

    [Fact]
    public void Citations_in_lists_quotes_tables_and_headings_count() => Check(
        """
        # On @title2020

        > quoted @quote1

        - item @list1
          - nested [@list2]

        | a | b |
        |---|---|
        | @cell1 | x |
        """,
        """
        cite title2020 InText 0:6-0:15
        cite quote1 InText 2:10-2:16
        cite list1 InText 4:8-4:13
        cite list2 Bracketed 5:13-5:18
        cite cell1 InText 9:3-9:8
        """);

    [Fact]
    public void Front_matter_fields_are_read()
    {
        var note = NoteParser.Parse("/w/notes/p.md", """
            ---
            title: "A note"
            citekey: vaswani2017
            bibliography: [../refs.bib, extra.csl.json]
            ---
            # Heading

            First paragraph here.
            """);
        Assert.Equal("A note", note.Title);
        Assert.Equal("vaswani2017", note.FrontMatter.CiteKey);
        Assert.Equal(["../refs.bib", "extra.csl.json"], note.FrontMatter.Bibliography.Select(b => b.Path));
        Assert.Equal("First paragraph here.", note.FirstParagraph);
        Assert.Equal("Heading", Assert.Single(note.Headings).Text);
        Assert.Empty(note.Errors);
    }

    [Fact]
    public void Broken_front_matter_is_an_error_not_an_exception()
    {
        var note = NoteParser.Parse("/w/n.md", "---\ntitle: [unclosed\n---\nText @key.\n");
        var error = Assert.Single(note.Errors);
        Assert.Contains("front matter is not valid YAML", error.Message);
        Assert.Equal("key", Assert.Single(note.Citations).Key);
    }

    [Fact]
    public void Front_matter_alias_bomb_is_refused_at_the_alias_and_the_note_still_loads()
    {
        var text = "---\ntitle: Bomb\n" + Library.Csl.CslYamlParserTests.AliasBomb("") + "---\nBody cites @key.\n";
        var note = NoteParser.Parse("/w/n.md", text);
        var error = Assert.Single(note.Errors);
        Assert.Equal(text.IndexOf("*a3", StringComparison.Ordinal), error.Span.Start);
        Assert.StartsWith("too many YAML aliases", error.Message);
        Assert.Equal("Bomb", note.Title);
        Assert.Equal("key", Assert.Single(note.Citations).Key);
    }

    [Fact]
    public void Front_matter_nested_100k_deep_is_an_error_at_the_65th_level_and_the_body_still_loads()
    {
        var text = "---\ntitle: Deep\nx: " + new string('[', 100_000) + new string(']', 100_000) + "\n---\nBody cites @key.\n";
        var note = NoteParser.Parse("/w/n.md", text);
        var error = Assert.Single(note.Errors);
        Assert.Equal(text.IndexOf('[') + 63, error.Span.Start);
        Assert.Equal("front matter is not valid YAML: nested more than 64 levels deep", error.Message);
        Assert.Equal("key", Assert.Single(note.Citations).Key);
    }

    private static string Errors(Note note) => string.Join("\n", note.Errors.Select(e => $"{e.Span} {e.Message}"));

    [Fact]
    public void Quotes_nested_100k_deep_are_an_error_at_the_33rd_and_the_rest_of_the_note_loads()
    {
        var note = NoteParser.Parse("/w/n.md", new string('>', 100_000) + " deep @lost\n\nAfter @kept.\n");
        Assert.Equal("32..33 more than 32 nested quotes and lists: the rest of this line is not read", Errors(note));
        Assert.Equal("kept", Assert.Single(note.Citations).Key);
    }

    [Fact]
    public void A_million_list_markers_on_one_line_are_an_error_at_the_33rd()
    {
        var note = NoteParser.Parse("/w/n.md", string.Concat(Enumerable.Repeat("- ", 1_000_000)) + "a @lost\n\nAfter @kept.\n");
        Assert.Equal("64..65 more than 32 nested quotes and lists: the rest of this line is not read", Errors(note));
        Assert.Equal("kept", Assert.Single(note.Citations).Key);
    }

    [Fact]
    public void Lists_nested_by_indentation_stop_at_32_levels()
    {
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => new string(' ', 2 * i) + $"- item @k{i}\n"));
        var note = NoteParser.Parse("/w/n.md", text);
        int at = text.IndexOf("- item @k32", StringComparison.Ordinal);
        Assert.Equal($"{at}..{at + 1} more than 32 nested quotes and lists: the rest of this line is not read", Errors(note));
        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"k{i}"), note.Citations.Select(c => c.Key));
    }

    [Fact]
    public void Unclosed_brackets_past_4096_in_a_paragraph_are_an_error_there_and_the_next_paragraph_loads()
    {
        var text = "Before @a " + new string('[', 5000) + string.Concat(Enumerable.Repeat(" `x`", 1000)) + "\n@lost\n\nAfter @b.\n";
        var note = NoteParser.Parse("/w/n.md", text);
        Assert.Equal($"{10 + 4096}..{10 + 4097} more than 4,096 unclosed brackets and emphasis markers in one paragraph: the rest of it is not read", Errors(note));
        Assert.Equal(["a", "b"], note.Citations.Select(c => c.Key));
    }

    [Fact]
    public void Open_brackets_before_many_inlines_stop_at_the_note_work_budget()
    {
        // 4,000 open brackets (under the cap) make each of 200k later inlines walk 4,000 containers (was 23 s).
        var text = "Before @a\n\n" + new string('[', 4000) + string.Concat(Enumerable.Repeat(" `x`", 100_000)) + "\n\nAfter @lost.\n";
        var note = NoteParser.Parse("/w/n.md", text);
        var error = Assert.Single(note.Errors);
        Assert.Equal("too much nested Markdown markup in this note: the rest of it is not read", error.Message);
        Assert.InRange(error.Span.Start, text.IndexOf('`'), text.LastIndexOf('`'));
        Assert.Equal("a", Assert.Single(note.Citations).Key);
    }

    [Fact]
    public void Long_thematic_breaks_and_ordinary_nesting_are_within_bounds()
    {
        var text = string.Concat(Enumerable.Repeat("- ", 40)) + "\n\n> > - 1. quote in list @a\n\n" + string.Concat(Enumerable.Repeat("*b* [c] ", 500)) + "@b\n";
        var note = NoteParser.Parse("/w/n.md", text);
        Assert.Empty(note.Errors);
        Assert.Equal(["a", "b"], note.Citations.Select(c => c.Key));
    }

    [Fact]
    public void Front_matter_naming_thousands_of_bibliographies_keeps_100_and_is_an_error_at_the_101st()
    {
        var text = "---\nbibliography: [" + string.Join(", ", Enumerable.Range(0, 5000).Select(i => $"b{i}.bib")) + "]\n---\n";
        var note = NoteParser.Parse("/w/n.md", text);
        Assert.Equal(100, note.FrontMatter.Bibliography.Count);
        int at = text.IndexOf("b100.bib", StringComparison.Ordinal);
        Assert.Equal($"{at}..{at + 8} more than 100 bibliography files: this one and the rest are not loaded", Errors(note));
    }

    [Fact]
    public void A_binary_note_is_one_error_at_its_first_nul()
    {
        var note = NoteParser.Parse("/w/n.md", "@a [[b]] # c\n\u0001\u0000@d\n");
        Assert.Equal("14..15 binary file (a NUL character here), not read; a UTF-16 text file needs a byte order mark", Errors(note));
        Assert.Empty(note.Citations);
        Assert.Empty(note.WikiLinks);
        Assert.Empty(note.Headings);
    }

    [Fact]
    public void Title_falls_back_to_first_heading_then_file_name()
    {
        Assert.Equal("Big Idea", NoteParser.Parse("/w/x.md", "# Big Idea\n").Title);
        Assert.Equal("my-note", NoteParser.Parse("/w/my-note.md", "text\n").Title);
    }

    [Fact]
    public void Citation_at_offset_finds_the_touching_citation()
    {
        var note = NoteParser.Parse("/w/n.md", "See [@abc; @def].\n");
        Assert.Equal("abc", note.CitationAt(6)?.Key);
        Assert.Equal("abc", note.CitationAt(9)?.Key); // right after the key
        Assert.Equal("def", note.CitationAt(12)?.Key);
        Assert.Null(note.CitationAt(1));
    }

    [Fact]
    public void Garbage_never_throws()
    {
        var random = new Random(42);
        for (int n = 0; n < 200; n++)
        {
            var chars = new char[random.Next(0, 400)];
            const string alphabet = "@[]{}`-_:|\n\r<>$\\*#ab12 😀";
            for (int i = 0; i < chars.Length; i++)
                chars[i] = alphabet[random.Next(0, alphabet.Length)];
            NoteParser.Parse("/w/g.md", new string(chars));
        }
        var huge = new string('@', 1_000_000) + "[[" + new string('x', 1_000_000);
        NoteParser.Parse("/w/h.md", huge);
    }

    [Theory]
    [InlineData("xtit[le: [T\nbibliogxrap#*refs\n.bi[[x]]b\n")] // YamlDotNet: InvalidOperationException
    [InlineData("    : T\nbib\\liography: refs.bib\n")]          // YamlDotNet: ArgumentException
    public void Front_matter_that_trips_the_yaml_library_is_an_error_not_a_crash(string yaml)
    {
        var note = NoteParser.Parse("/n.md", $"---\n{yaml}---\n\nText @a.\n");
        var error = Assert.Single(note.Errors);
        Assert.StartsWith("front matter is not valid YAML", error.Message);
        Assert.Equal("a", Assert.Single(note.Citations).Key);
    }

    [Fact]
    public void A_citation_in_a_pipe_table_is_found_once()
    {
        var note = NoteParser.Parse("/n.md", "| @a | [@b] |\n|---|---|\n| @c | d |\n");
        Assert.Equal(["a", "b", "c"], note.Citations.Select(c => c.Key));
        Assert.Equal(CitationForm.Bracketed, note.Citations[1].Form);
    }
}
