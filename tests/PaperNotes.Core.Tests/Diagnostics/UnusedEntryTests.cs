using PaperNotes.Core.Diagnostics;

namespace PaperNotes.Core.Tests.Diagnostics;

/// <summary><c>unused-entry</c> hints: entries no note cites, only in library files up to the size limit.</summary>
public class UnusedEntryTests
{
    private static void Check(string fixture, string expected, int upTo = 1000) =>
        Expect.Text(expected, TestWorkspace.From(fixture).RenderDiagnostics(new DiagnosticOptions(upTo)));

    private const string Workspace = """
        //- lib/refs.bib
        @article{cited2020, title={Cited}}
        @article{unused2021, title={Nobody cites me}}
        @article{noted2022, title={Has a paper note}}
        //- notes/a.md
        See @cited2020.
        //- notes/papers/noted.md
        ---
        citekey: noted2022
        ---
        """;

    [Fact]
    public void An_entry_no_note_cites_is_a_hint_on_the_whole_entry() => Check(Workspace,
        "lib/refs.bib:1:0 hint unused-entry: 'unused2021' is not cited by any note");

    [Fact]
    public void The_hint_fades_the_entry()
    {
        var ws = TestWorkspace.From(Workspace);
        var hint = DiagnosticCollector.ForWorkspace(ws.Snapshot, DiagnosticOptions.Default).SelectMany(p => p.Value).Single();
        Assert.True(hint.Unnecessary);
        Assert.Equal("@article{unused2021, title={Nobody cites me}}", ws.Slice(hint.Path, hint.Span));
    }

    [Fact]
    public void Library_files_over_the_limit_report_none() => Check(Workspace, "", upTo: 2);

    [Fact]
    public void Off_reports_none() => Check(Workspace, "", upTo: 0);

    [Fact]
    public void A_losing_duplicate_is_a_duplicate_not_unused() => Check("""
        //- lib/a.bib
        @article{twice, title={First}}
        //- lib/b.bib
        @article{twice, title={Second}}
        //- notes/n.md
        @twice
        """, """
        lib/a.bib:0:9 warning duplicate-key: duplicate key 'twice': also defined at lib/b.bib:1; this definition is used
          related lib/b.bib:0:9-0:14 'twice' also defined here
        lib/b.bib:0:9 warning duplicate-key: duplicate key 'twice': already defined at lib/a.bib:1, which is used
          related lib/a.bib:0:9-0:14 'twice' also defined here
        """);
}
