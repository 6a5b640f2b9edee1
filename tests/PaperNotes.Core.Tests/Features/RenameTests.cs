using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>
/// Rename at the cursor to a new key, rendered as the prepared range, then one line per edit
/// (<c>path:line:col-line:col "old" -> "new"</c>, in path and position order) or the refusal.
/// </summary>
public class RenameTests
{
    private static void Check(string fixture, string newKey, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var context = ws.Context();
        var lines = new List<string>();
        var prepared = Rename.Prepare(context, ws.CursorOffset);
        lines.Add(prepared is null ? "prepare: (none)" : $"prepare: {ws.Location(ws.Cursor, prepared.Span)} \"{prepared.Placeholder}\"");
        var result = Rename.Apply(context, ws.CursorOffset, newKey);
        if (result.Error is not null) lines.Add("error: " + result.Error);
        lines.AddRange(result.Edits
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Span.Start)
            .Select(e => $"{ws.Location(e.Path, e.Span)} \"{ws.Slice(e.Path, e.Span)}\" -> \"{e.NewText}\""));
        Expect.Text(expected, string.Join("\n", lines));
    }

    private const string Workspace = """
        //- lib/refs.bib
        @article{vaswani2017, title={Attention}}
        @article{he2016, title={ResNet}}
        //- lib/more.csl.yaml
        references:
        - id: chen2020
          title: SimCLR
        //- notes/a.md
        [@vaswani2017; @he2016] and @vaswani2017 again, [[vaswani2017]].
        //- notes/b.md
        @{vaswani2017} in B, and [-@chen2020].
        //- notes/papers/attention.md
        ---
        citekey: vaswani2017
        ---
        # Attention
        """;

    [Fact]
    public void Rename_from_a_citation_edits_every_note_the_library_the_paper_note_and_wiki_links() => Check(
        Workspace.Replace("[@vaswani2017;", "[@vas$0wani2017;"), "attention2017", """
        prepare: notes/a.md:0:2-0:13 "vaswani2017"
        lib/refs.bib:0:9-0:20 "vaswani2017" -> "attention2017"
        notes/a.md:0:2-0:13 "vaswani2017" -> "attention2017"
        notes/a.md:0:29-0:40 "vaswani2017" -> "attention2017"
        notes/a.md:0:50-0:61 "vaswani2017" -> "attention2017"
        notes/b.md:0:2-0:13 "vaswani2017" -> "attention2017"
        notes/papers/attention.md:1:9-1:20 "vaswani2017" -> "attention2017"
        """);

    [Fact]
    public void Rename_from_a_csl_yaml_id_edits_the_id_and_the_citations() => Check(
        Workspace.Replace("- id: chen2020", "- id: chen$02020"), "chen2020simple", """
        prepare: lib/more.csl.yaml:1:6-1:14 "chen2020"
        lib/more.csl.yaml:1:6-1:14 "chen2020" -> "chen2020simple"
        notes/b.md:0:28-0:36 "chen2020" -> "chen2020simple"
        """);

    [Fact]
    public void Rename_from_a_bib_key() => Check(
        Workspace.Replace("@article{he2016", "@article{he2016$0"), "he2016deep", """
        prepare: lib/refs.bib:1:9-1:15 "he2016"
        lib/refs.bib:1:9-1:15 "he2016" -> "he2016deep"
        notes/a.md:0:16-0:22 "he2016" -> "he2016deep"
        """);

    [Fact]
    public void Rename_from_a_paper_notes_citekey() => Check(
        Workspace.Replace("citekey: vaswani2017", "citekey: $0vaswani2017"), "@attention2017", """
        prepare: notes/papers/attention.md:1:9-1:20 "vaswani2017"
        lib/refs.bib:0:9-0:20 "vaswani2017" -> "attention2017"
        notes/a.md:0:2-0:13 "vaswani2017" -> "attention2017"
        notes/a.md:0:29-0:40 "vaswani2017" -> "attention2017"
        notes/a.md:0:50-0:61 "vaswani2017" -> "attention2017"
        notes/b.md:0:2-0:13 "vaswani2017" -> "attention2017"
        notes/papers/attention.md:1:9-1:20 "vaswani2017" -> "attention2017"
        """);

    [Fact]
    public void Rename_of_a_quoted_citekey_keeps_the_quotes() => Check("""
        //- lib/refs.bib
        @article{vaswani2017, title={Attention}}
        //- notes/papers/attention.md
        ---
        citekey: "vaswani2017"
        ---
        [@vaswani$02017]
        """, "attention2017", """
        prepare: notes/papers/attention.md:3:2-3:13 "vaswani2017"
        lib/refs.bib:0:9-0:20 "vaswani2017" -> "attention2017"
        notes/papers/attention.md:1:10-1:21 "vaswani2017" -> "attention2017"
        notes/papers/attention.md:3:2-3:13 "vaswani2017" -> "attention2017"
        """);

    [Fact]
    public void Rename_of_a_local_reference_stays_in_its_note() => Check("""
        //- lib/refs.bib
        @article{key, title={Library}}
        //- notes/a.md
        ---
        references:
        - id: key
          title: Local
        ---
        [@k$0ey]
        //- notes/b.md
        [@key]
        """, "local2020", """
        prepare: notes/a.md:5:2-5:5 "key"
        notes/a.md:2:6-2:9 "key" -> "local2020"
        notes/a.md:5:2-5:5 "key" -> "local2020"
        """);

    [Fact]
    public void Rename_of_a_library_key_leaves_notes_that_define_it_locally() => Check("""
        //- lib/refs.bib
        @article{key, title={Library}}
        //- notes/a.md
        ---
        references:
        - id: key
          title: Local
        ---
        [@key]
        //- notes/b.md
        [@k$0ey]
        """, "library2020", """
        prepare: notes/b.md:0:2-0:5 "key"
        lib/refs.bib:0:9-0:12 "key" -> "library2020"
        notes/b.md:0:2-0:5 "key" -> "library2020"
        """);

    [Fact]
    public void Rename_to_an_existing_key_is_refused() => Check(
        Workspace.Replace("[@vaswani2017;", "[@vas$0wani2017;"), "he2016", """
        prepare: notes/a.md:0:2-0:13 "vaswani2017"
        error: the key 'he2016' already exists in the library
        """);

    [Fact]
    public void Rename_of_a_local_reference_to_a_library_key_is_refused() => Check("""
        //- lib/refs.bib
        @article{taken, title={Library}}
        //- notes/a.md
        ---
        references:
        - id: key
          title: Local
        ---
        [@k$0ey]
        """, "taken", """
        prepare: notes/a.md:5:2-5:5 "key"
        error: the key 'taken' already exists in the library
        """);

    [Fact]
    public void Rename_of_a_local_reference_to_another_local_key_is_refused() => Check("""
        //- notes/a.md
        ---
        references:
        - id: key
          title: Local
        - id: other
          title: Other
        ---
        [@k$0ey]
        """, "other", """
        prepare: notes/a.md:7:2-7:5 "key"
        error: the key 'other' already exists in this note's references
        """);

    [Theory]
    [InlineData("has space")]
    [InlineData("-dash")]
    [InlineData("")]
    [InlineData("a{b}")]
    public void Rename_to_an_invalid_key_is_refused(string newKey) => Check(
        Workspace.Replace("@article{he2016", "@article{he2016$0"), newKey, $"""
        prepare: lib/refs.bib:1:9-1:15 "he2016"
        error: '{newKey}' is not a valid citation key: start with a letter, digit or '_', then letters, digits, '_' or :.#$%&-+?<>~/ between them
        """);

    [Fact]
    public void Rename_on_plain_text_is_refused() => Check(
        Workspace.Replace("in B", "in $0B"), "x", """
        prepare: (none)
        error: nothing to rename here: put the cursor on a citation key
        """);
}
