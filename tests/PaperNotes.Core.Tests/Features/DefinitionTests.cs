using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Go to definition at the cursor, one <c>path:line:col-line:col</c> per target; "(none)" when empty.</summary>
public class DefinitionTests
{
    private static void Check(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var found = Definition.Find(ws.Context(), ws.CursorOffset);
        Expect.Text(expected, found.Count == 0 ? "(none)" : string.Join("\n", found.Select(ws.Location)));
    }

    private const string Library = """
        //- lib/refs.bib
        @article{vaswani2017, title={Attention}}
        @article{he2016, title={ResNet}}
        """;

    [Fact]
    public void Definition_of_a_citation_is_the_bib_entry_key() => Check(Library + """

        //- notes/a.md
        See [@he20$016].
        """, "lib/refs.bib:1:9-1:15");

    [Fact]
    public void Definition_of_a_citation_with_a_paper_note_is_the_entry_only() => Check(Library + """

        //- notes/a.md
        @vaswani2017$0 says.
        //- notes/papers/attention.md
        ---
        citekey: vaswani2017
        ---
        """, "lib/refs.bib:0:9-0:20");

    [Fact]
    public void Definition_of_a_citation_no_library_defines_is_its_paper_note() => Check("""
        //- notes/a.md
        @vaswani2017$0 says.
        //- notes/papers/attention.md
        ---
        citekey: vaswani2017
        ---
        """, "notes/papers/attention.md:0:0-0:0");

    [Fact]
    public void Definition_of_a_bib_key_is_its_paper_note_only() => Check("""
        //- lib/refs.bib
        @article{vas$0wani2017, title={Attention}}
        //- notes/papers/attention.md
        ---
        citekey: vaswani2017
        ---
        """, "notes/papers/attention.md:0:0-0:0");

    [Fact]
    public void Definition_of_a_paper_notes_citekey_is_the_bib_entry() => Check(Library + """

        //- notes/papers/attention.md
        ---
        citekey: vaswa$0ni2017
        ---
        """, "lib/refs.bib:0:9-0:20");

    [Fact]
    public void Definition_of_a_local_reference_citation_is_its_front_matter_id() => Check("""
        //- notes/a.md
        ---
        references:
        - id: local
          title: Local
        ---
        [@lo$0cal]
        """, "notes/a.md:2:6-2:11");

    [Fact]
    public void Definition_of_a_wiki_link_is_the_note() => Check("""
        //- notes/a.md
        [[su$0b/b]]
        //- notes/sub/b.md
        # B
        """, "notes/sub/b.md:0:0-0:0");

    [Fact]
    public void Definition_of_a_wiki_link_to_a_key_without_note_is_the_bib_entry() => Check(Library + """

        //- notes/a.md
        [[he2016$0]]
        """, "lib/refs.bib:1:9-1:15");

    [Fact]
    public void Definition_of_an_unknown_key_is_none() => Check(Library + """

        //- notes/a.md
        [@nope$0]
        """, "(none)");

    [Fact]
    public void Definition_on_plain_text_is_none() => Check(Library + """

        //- notes/a.md
        Just te$0xt.
        """, "(none)");
}
