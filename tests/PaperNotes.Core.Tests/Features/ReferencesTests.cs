using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Find references at the cursor, one <c>path:line:col-line:col "text"</c> per location; "(none)" when empty.</summary>
public class ReferencesTests
{
    private static void Check(string fixture, bool includeDeclaration, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var found = References.Find(ws.Context(), ws.CursorOffset, includeDeclaration);
        Expect.Text(expected, found.Count == 0 ? "(none)"
            : string.Join("\n", found.Select(l => $"{ws.Location(l)} \"{ws.Slice(l.Path, l.Span)}\"")));
    }

    private const string Workspace = """
        //- lib/refs.bib
        @article{vaswani2017, title={Attention}}
        @article{he2016, title={ResNet}}
        //- notes/a.md
        [@vaswani2017; @he2016] and @vaswani2017 again.
        //- notes/b.md
        ---
        title: B
        ---
        @{vaswani2017} in B.
        //- notes/c.md
        Nothing cited here, see [[a]].
        //- notes/d.md
        ```
        @vaswani2017 in code is no reference
        ```
        [[a|A]] and [[c]]
        """;

    [Fact]
    public void References_of_a_citation_without_declaration_are_every_citation_in_every_note() => Check(
        Workspace.Replace("[@vaswani2017;", "[@vaswa$0ni2017;"), false, """
        notes/a.md:0:2-0:13 "vaswani2017"
        notes/a.md:0:29-0:40 "vaswani2017"
        notes/b.md:3:2-3:13 "vaswani2017"
        """);

    [Fact]
    public void References_with_declaration_start_with_the_library_entry() => Check(
        Workspace.Replace("@{vaswani2017}", "@{vaswani2017$0}"), true, """
        lib/refs.bib:0:9-0:20 "vaswani2017"
        notes/a.md:0:2-0:13 "vaswani2017"
        notes/a.md:0:29-0:40 "vaswani2017"
        notes/b.md:3:2-3:13 "vaswani2017"
        """);

    [Fact]
    public void References_from_a_bib_key() => Check(
        Workspace.Replace("@article{he2016", "@article{he$02016"), false, """
        notes/a.md:0:16-0:22 "he2016"
        """);

    [Fact]
    public void References_with_declaration_include_every_duplicate_definition() => Check("""
        //- lib/a.bib
        @article{dup, title={A}}
        //- lib/b.bib
        @article{dup, title={B}}
        //- notes/n.md
        [@du$0p]
        """, true, """
        lib/a.bib:0:9-0:12 "dup"
        lib/b.bib:0:9-0:12 "dup"
        notes/n.md:0:2-0:5 "dup"
        """);

    [Fact]
    public void References_with_declaration_of_a_local_reference_include_its_front_matter_id() => Check("""
        //- notes/n.md
        ---
        references:
        - id: local
          title: Local
        ---
        [@lo$0cal] and @local
        """, true, """
        notes/n.md:2:6-2:11 "local"
        notes/n.md:5:2-5:7 "local"
        notes/n.md:5:14-5:19 "local"
        """);

    [Fact]
    public void References_of_a_library_key_skip_notes_that_define_the_key_locally() => Check("""
        //- lib/refs.bib
        @article{key, title={Library}}
        //- notes/a.md
        [@k$0ey]
        //- notes/b.md
        ---
        references:
        - id: key
          title: Local
        ---
        [@key]
        """, false, """
        notes/a.md:0:2-0:5 "key"
        """);

    [Fact]
    public void References_of_a_wiki_link_are_every_link_to_the_same_note() => Check(
        Workspace.Replace("see [[a]]", "see [[$0a]]"), false, """
        notes/c.md:0:26-0:27 "a"
        notes/d.md:3:2-3:3 "a"
        """);

    [Fact]
    public void References_on_plain_text_are_none() => Check(
        Workspace.Replace("Nothing cited", "Noth$0ing cited"), true, "(none)");
}
