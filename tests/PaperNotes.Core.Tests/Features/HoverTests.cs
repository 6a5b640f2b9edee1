using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Hover at the cursor, rendered as the hovered range then the Markdown verbatim; "(none)" for no hover.</summary>
public class HoverTests
{
    private static void Check(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var hover = Hover.Find(ws.Context(), ws.CursorOffset);
        Expect.Text(expected, hover is null ? "(none)" : $"{ws.Location(ws.Cursor, hover.Span)}\n{hover.Markdown}");
    }

    private const string Library = """
        //- lib/refs.bib
        @article{vaswani2017,
          author = {Vaswani, Ashish and Shazeer, Noam},
          title = {Attention Is All You Need},
          journal = {NeurIPS},
          year = {2017},
          doi = {10.5555/3295222},
          abstract = {The dominant sequence transduction models.}
        }
        @misc{bare, title={Bare}}
        """;

    private const string VaswaniHover = """
        **Attention Is All You Need**

        Ashish Vaswani, Noam Shazeer · 2017 · *NeurIPS*

        [DOI 10.5555/3295222](https://doi.org/10.5555/3295222)

        > The dominant sequence transduction models.

        ---

        `@vaswani2017` in [lib/refs.bib:1](file:///w/lib/refs.bib#L1) · cited in 1 note
        """;

    [Fact]
    public void Hover_on_a_bracketed_citation_shows_the_paper() => Check(Library + """

        //- notes/a.md
        As in [see @vas$0wani2017, p. 3].
        """, "notes/a.md:0:12-0:23\n" + VaswaniHover);

    [Fact]
    public void Hover_on_the_at_sign_of_an_in_text_citation_shows_the_paper() => Check(Library + """

        //- notes/a.md
        $0@vaswani2017 says so.
        """, "notes/a.md:0:1-0:12\n" + VaswaniHover);

    [Fact]
    public void Hover_right_after_a_suppress_author_citation_shows_the_paper() => Check(Library + """

        //- notes/a.md
        Vaswani [-@vaswani2017$0].
        """, "notes/a.md:0:11-0:22\n" + VaswaniHover);

    [Fact]
    public void Hover_on_a_braced_citation_shows_the_paper() => Check(Library + """

        //- notes/a.md
        @{vasw$0ani2017} says so.
        """, "notes/a.md:0:2-0:13\n" + VaswaniHover);

    [Fact]
    public void Hover_footer_names_the_paper_note_and_counts_citing_notes() => Check(Library + """

        //- notes/a.md
        [@bare$0]
        //- notes/b.md
        [@bare] and [@bare] again
        //- notes/papers/bare.md
        ---
        citekey: bare
        ---
        """, """
        notes/a.md:0:2-0:6
        **Bare**

        ---

        📝 [notes/papers/bare.md](file:///w/notes/papers/bare.md) · `@bare` in [lib/refs.bib:9](file:///w/lib/refs.bib#L9) · cited in 2 notes
        """);

    [Fact]
    public void Hover_on_unknown_key_is_empty() => Check(Library + """

        //- notes/a.md
        [@nothere$0]
        """, "(none)");

    [Fact]
    public void Hover_on_a_front_matter_reference_works_only_in_its_note() => Check("""
        //- notes/a.md
        ---
        references:
        - id: local
          title: Local Paper
        ---
        [@local]
        //- notes/b.md
        [@lo$0cal]
        """, "(none)");

    [Fact]
    public void Hover_on_a_front_matter_reference_in_its_own_note_shows_it() => Check("""
        //- notes/a.md
        ---
        references:
        - id: local
          title: Local Paper
          issued: 2020
        ---
        [@lo$0cal]
        """, """
        notes/a.md:6:2-6:7
        **Local Paper**

        2020

        ---

        `@local` in [notes/a.md:3](file:///w/notes/a.md#L3) · cited in 1 note
        """);

    [Fact]
    public void Hover_on_a_wiki_link_shows_the_note_title_and_first_paragraph() => Check("""
        //- notes/a.md
        See [[o$0ther|the other one]].
        //- notes/other.md
        # Other *note*

        First paragraph, with [@x].

        Second paragraph.
        """, """
        notes/a.md:0:4-0:27
        **Other note**

        First paragraph, with [@x].

        [notes/other.md](file:///w/notes/other.md)
        """);

    [Fact]
    public void Hover_on_a_wiki_link_to_a_key_without_paper_note_shows_the_paper() => Check(Library + """

        //- notes/a.md
        [[vaswani2017$0]]
        """, "notes/a.md:0:0-0:15\n" + VaswaniHover.Replace("cited in 1 note", "cited in 0 notes"));

    [Fact]
    public void Hover_on_a_broken_wiki_link_is_empty() => Check("""
        //- notes/a.md
        [[nowh$0ere]]
        """, "(none)");

    [Fact]
    public void Hover_on_a_bib_key_shows_the_paper() => Check("""
        //- lib/refs.bib
        @article{vas$0wani2017, title={Attention Is All You Need}, year={2017}}
        """, """
        lib/refs.bib:0:9-0:20
        **Attention Is All You Need**

        2017

        ---

        `@vaswani2017` in [lib/refs.bib:1](file:///w/lib/refs.bib#L1) · cited in 0 notes
        """);

    [Fact]
    public void Hover_on_a_csl_yaml_id_shows_the_paper() => Check("""
        //- lib/refs.csl.yaml
        references:
        - id: smi$0th2020
          title: A CSL Paper
        """, """
        lib/refs.csl.yaml:1:6-1:15
        **A CSL Paper**

        ---

        `@smith2020` in [lib/refs.csl.yaml:2](file:///w/lib/refs.csl.yaml#L2) · cited in 0 notes
        """);

    [Fact]
    public void Hover_on_a_later_duplicate_bib_entry_shows_that_entry() => Check("""
        //- lib/a.bib
        @article{dup, title={First}}
        //- lib/b.bib
        @article{d$0up, title={Second}}
        """, """
        lib/b.bib:0:9-0:12
        **Second**

        ---

        `@dup` in [lib/b.bib:1](file:///w/lib/b.bib#L1) · cited in 0 notes
        """);

    [Fact]
    public void Hover_on_a_bib_field_value_is_empty() => Check("""
        //- lib/refs.bib
        @article{vaswani2017, title={Attention Is A$0ll You Need}}
        """, "(none)");

    [Theory]
    [InlineData("Plain te$0xt with no key.")]
    [InlineData("Mail ada@vaswa$0ni2017.org today.")]
    [InlineData("Code `[@vaswa$0ni2017]` here.")]
    [InlineData("Link https://example.org/@vaswa$0ni2017 here.")]
    [InlineData("Link <https://example.org/@vaswa$0ni2017> here.")]
    [InlineData("[text](https://example.org/@vaswa$0ni2017) here.")]
    public void Hover_on_text_email_code_and_urls_is_empty(string line) => Check(Library + "\n//- notes/a.md\n" + line, "(none)");
}

public class HoverOnImportedPaperTests
{
    [Fact]
    public void An_imported_listing_paper_shows_its_author_count_organisation_upvotes_and_code()
    {
        var ws = TestWorkspace.From("""
            //- lib/daily.csl.yaml
            references:
            - id: metis2025
              type: article
              title: "Metis: A Model"
              issued: {date-parts: [[2025, 10, 28]]}
              custom:
                upvotes: 12
                authors-count: 7
                code: https://github.com/example/metis
            - id: llama2024
              type: article
              title: Llama
              custom:
                organization: AI at Meta
            //- notes/a.md
            See @metis2025 and @llama2024.
            """);
        var note = ws.Snapshot.Notes.Notes.Values.Single();
        string HoverAt(string key) => Hover.Find(new FeatureContext(ws.Snapshot, note.Path), note.Citations.Single(c => c.Key == key).KeySpan.Start)!.Markdown;
        var metis = HoverAt("metis2025");
        Assert.Contains("7 authors · Oct 28, 2025 · ▲ 12", metis);
        Assert.Contains("[Code](https://github.com/example/metis)", metis);
        Assert.Contains("*AI at Meta*", HoverAt("llama2024"));
        var paper = ws.Snapshot.Libraries.Find("metis2025")!;
        Assert.Equal("7 authors · 2025", PaperMarkdown.Short(paper));
    }
}
