using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Workspace and document symbols, one line per symbol (<c>kind name · detail @ range</c>), children indented.</summary>
public class SymbolTests
{
    private static string Render(TestWorkspace ws, IEnumerable<SymbolEntry> symbols, int depth = 0) =>
        string.Join("\n", symbols.Select(s =>
            $"{new string(' ', depth * 2)}{s.Kind} {s.Name}{(s.Detail is null ? "" : " · " + s.Detail)} @ {ws.Location(s.Path, s.Span)}"
            + (s.Children.Count > 0 ? "\n" + Render(ws, s.Children, depth + 1) : "")));

    private static void CheckWorkspace(string fixture, string query, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        Expect.Text(expected, Render(ws, Symbols.Workspace(ws.Snapshot, query)));
    }

    private static void CheckDocument(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        Expect.Text(expected, Render(ws, Symbols.Document(ws.Context())));
    }

    private const string Workspace = """
        //- lib/refs.bib
        @article{vaswani2017, author={Vaswani, Ashish}, title={Attention Is All You Need}, year={2017}}
        @article{he2016, author={He, Kaiming}, title={Deep Residual Learning}, year={2016}}
        //- notes/attention-notes.md
        # Reading attention
        //- notes/other.md
        ---
        title: Misc
        ---
        """;

    [Fact]
    public void Workspace_symbols_match_note_names_titles_paper_keys_titles_and_authors() => CheckWorkspace(Workspace, "atten", """
        Note Reading attention · notes/attention-notes.md @ notes/attention-notes.md:0:0-0:0
        Paper @vaswani2017 · Attention Is All You Need @ lib/refs.bib:0:9-0:20
        """);

    [Fact]
    public void Workspace_symbols_by_author() => CheckWorkspace(Workspace, "kaiming", """
        Paper @he2016 · Deep Residual Learning @ lib/refs.bib:1:9-1:15
        """);

    [Fact]
    public void Workspace_symbols_with_an_empty_query_list_everything() => CheckWorkspace(Workspace, "", """
        Note Reading attention · notes/attention-notes.md @ notes/attention-notes.md:0:0-0:0
        Note Misc · notes/other.md @ notes/other.md:0:0-0:0
        Paper @vaswani2017 · Attention Is All You Need @ lib/refs.bib:0:9-0:20
        Paper @he2016 · Deep Residual Learning @ lib/refs.bib:1:9-1:15
        """);

    [Fact]
    public void Document_symbols_nest_headings_by_level() => CheckDocument("""
        //- notes/a.md
        # Title
        intro
        ## One
        ### One.a
        text
        ## Two
        # Second *top*
        #### Deep
        """, """
        Heading Title @ notes/a.md:0:0-6:0
          Heading One @ notes/a.md:2:0-5:0
            Heading One.a @ notes/a.md:3:0-5:0
          Heading Two @ notes/a.md:5:0-6:0
        Heading Second top @ notes/a.md:6:0-8:0
          Heading Deep @ notes/a.md:7:0-8:0
        """);

    [Fact]
    public void Document_symbols_of_a_library_are_its_entries() => CheckDocument("""
        //- lib/refs.bib
        @article{vaswani2017, title={Attention}}
        @article{he2016, title={ResNet}}
        """, """
        Paper vaswani2017 · Attention @ lib/refs.bib:0:0-0:40
        Paper he2016 · ResNet @ lib/refs.bib:1:0-1:32
        """);
}
