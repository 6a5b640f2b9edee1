using System.Text;
using PaperNotes.Core.Notes;
using Xunit;

namespace PaperNotes.Core.Tests.Notes;

/// <summary>
/// <see cref="NoteParser.Update"/> must give exactly what a whole <see cref="NoteParser.Parse"/> of the new text gives.
/// Random notes mixing every block kind the parser knows, edited at random (often at line starts and with the
/// characters that change structure), chained so that each update starts from the previous update's result.
/// </summary>
public class IncrementalNoteTests
{
    private static readonly string[] Blocks =
    [
        "Plain words [@smith2020] and @doe-2019 say so.",
        "See [-@lee21, p. 3; also @kim_22] and [[Paper Note]].",
        "Two lines of a paragraph @first\nand a lazy second line [@second].",
        "# Heading with @cited",
        "Setext heading @k\n===",
        "```\ncode @notacitation\n```",
        "    indented code @nope",
        "- item @one\n- item [@two]\n\n  continued item paragraph @three",
        "1. first @a\n2. second",
        "> quote [@quoted]\n> more",
        "| a | b |\n|---|---|\n| @t1 | [@t2] |",
        "Term @term\n:   Definition [@def]",
        "A footnote ref[^1] with @fn.\n\n[^1]: The note @inside.",
        "[ref]: https://example.com/@x",
        "<div>\nhtml @no\n</div>",
        "Math $x@y$ and $$\n@z\n$$ after @m.",
        "Inline `code @c` and <span>@h</span> and https://x.org/@u then @real.",
        "*emph @e* **strong [@s]** ~~del~~",
        "Text with email ada@example.com and \\@escaped.",
        "[link text @k](http://a.b/@c \"title @t\") end",
        "---",
        "> [!NOTE]\n> alert @al",
    ];

    private static readonly string[] Inserts =
    [
        "@key", "[@k1]", "[", "]", "`", ":", "~", "#", "- ", "1. ", "> ", " ", "    ", "\n", "\n\n", "|", "$", "<div>",
        "*", "_", "[[", "]]", "[[x]]", "word", "a", "[x]: /u", "[^2]", "[^2]: d", "===", "---", "```", "\\", "@{braced key}", "-@k",
    ];

    [Fact]
    public void Updates_equal_whole_parses_over_random_chained_edits()
    {
        int incremental = 0, cases = 0;
        for (int seed = 0; seed < 800; seed++)
        {
            var random = new Random(seed);
            var text = RandomNote(random);
            var note = NoteParser.Parse("/n.md", text);
            for (int step = 0; step < 25; step++, cases++)
            {
                var edited = RandomEdit(random, text);
                Note whole;
                try { whole = NoteParser.Parse("/n.md", edited); }
                catch (Exception e) { throw new Exception($"whole parse threw on:\n{edited}", e); }
                var fast = IncrementalNote.TryUpdate(note, edited);
                var updated = NoteParser.Update(note, edited);
                Assert.True(Describe(whole) == Describe(updated), $"seed {seed} step {step}: update differs from a whole parse\n--- before\n{System.Text.Json.JsonSerializer.Serialize(text)}\n--- after\n{System.Text.Json.JsonSerializer.Serialize(edited)}\n--- whole\n{Describe(whole)}\n--- update\n{Describe(updated)}");
                if (fast is not null && !ReferenceEquals(fast, note)) incremental++;
                (text, note) = (edited, updated);
            }
        }
        // The fast path must actually run, or this test proves nothing about it.
        Assert.True(incremental > cases / 5, $"only {incremental} of {cases} edits were incremental");
    }

    [Fact]
    public void Typing_a_citation_in_a_paragraph_of_a_long_note_reparses_that_paragraph_only()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 200).Select(i => $"Paragraph {i} cites [@key{i}] and @other{i}."));
        var note = NoteParser.Parse("/n.md", text);
        int at = text.IndexOf("Paragraph 100 ", StringComparison.Ordinal) + "Paragraph 100 ".Length;
        var edited = text.Insert(at, "[@typo] ");
        var updated = IncrementalNote.TryUpdate(note, edited);
        Assert.NotNull(updated);
        Assert.Equal(401, updated.Citations.Count);
        Assert.Equal("typo", updated.Citations[200].Key);
        Assert.Same(note.Citations[0], updated.Citations[0]); // the unchanged part is reused
        Assert.Equal(Describe(NoteParser.Parse("/n.md", edited)), Describe(updated));
    }

    [Fact]
    public void Structure_changing_edits_fall_back_to_a_whole_parse()
    {
        var text = "Intro @a.\n\nSecond paragraph @b.\n\nThird @c.\n";
        var note = NoteParser.Parse("/n.md", text);
        foreach (var edited in new[]
        {
            text.Replace("Second", ":   Second"),      // a definition of the paragraph above
            text.Replace("Second", "    Second"),      // indented: code
            text.Replace("Second", "- Second"),        // a list
            text.Replace("paragraph @b.", "paragraph\n\n```"), // a fence opened: the rest of the note is code
            text.Replace("Second paragraph @b.", "[x]: /u"), // a link definition changes every paragraph
        })
        {
            Assert.Null(IncrementalNote.TryUpdate(note, edited));
            Assert.Equal(Describe(NoteParser.Parse("/n.md", edited)), Describe(NoteParser.Update(note, edited)));
        }
    }

    [Fact]
    public void Headings_and_line_breaks_inside_a_standalone_block_are_parsed_alone()
    {
        var text = "# Title @t\n\nIntro @a.\n\nSecond paragraph @b.\n\nThird @c.\n";
        var note = NoteParser.Parse("/n.md", text);
        foreach (var edited in new[]
        {
            text.Replace("# Title", "[@typo] # Title"),           // the title becomes a paragraph (and the first one)
            text.Replace("Second", "## Second"),                   // a paragraph becomes a heading
            text.Replace("paragraph @b.", "paragraph\n@b."),      // a line break
            text.Replace("paragraph @b.", "paragraph\n\n@b."),    // a paragraph split in two
        })
        {
            var updated = IncrementalNote.TryUpdate(note, edited);
            Assert.NotNull(updated);
            Assert.Equal(Describe(NoteParser.Parse("/n.md", edited)), Describe(updated));
        }
    }

    private static string RandomNote(Random random)
    {
        var sb = new StringBuilder();
        if (random.Next(5) == 0) sb.Append("---\ntitle: T\nbibliography: refs.bib\n---\n\n");
        int blocks = random.Next(1, 8);
        for (int i = 0; i < blocks; i++)
        {
            if (i > 0) sb.Append(random.Next(4) == 0 ? "\n" : "\n\n");
            sb.Append(Blocks[random.Next(Blocks.Length)]);
        }
        if (random.Next(2) == 0) sb.Append('\n');
        var text = sb.ToString();
        return random.Next(6) == 0 ? text.Replace("\n", "\r\n") : text;
    }

    private static string RandomEdit(Random random, string text)
    {
        int at;
        if (random.Next(3) == 0)
        {
            // A line start: where typing changes structure.
            var starts = Enumerable.Range(0, text.Length + 1).Where(i => i == 0 || text[i - 1] == '\n').ToList();
            at = starts[random.Next(starts.Count)];
        }
        else at = random.Next(text.Length + 1);
        int remove = random.Next(3) == 0 ? Math.Min(random.Next(0, 6), text.Length - at) : 0;
        var insert = random.Next(4) == 0 ? "" : Inserts[random.Next(Inserts.Length)];
        if (remove == 0 && insert.Length == 0) insert = "x";
        return text.Remove(at, remove).Insert(at, insert);
    }

    private static string Describe(Note note)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"lines {note.Lines.Length} {note.Lines.GetPosition(note.Lines.Length)}");
        foreach (var c in note.Citations) sb.AppendLine($"cite {c.Key} {c.Span} {c.KeySpan} {c.Form}");
        foreach (var l in note.WikiLinks) sb.AppendLine($"link {l.Target}|{l.Label} {l.Span} {l.TargetSpan}");
        foreach (var h in note.Headings) sb.AppendLine($"heading {h.Level} {h.Text} {h.Span}");
        sb.AppendLine($"first {note.FirstParagraph}");
        foreach (var e in note.Errors) sb.AppendLine($"error {e.Span} {e.Message}");
        foreach (var v in note.Verbatim) sb.AppendLine($"verbatim {v}");
        sb.AppendLine($"front {note.FrontMatter.Span} {note.FrontMatter.Title} {note.FrontMatter.Bibliography.Count}");
        return sb.ToString();
    }
}
