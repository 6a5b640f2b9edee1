using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Code lenses of the first file: <c>range title</c>, then the places a click shows.</summary>
public class CodeLensTests
{
    private static void Check(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var lines = new List<string>();
        foreach (var lens in CodeLenses.Find(ws.Context(ws.FirstPath)))
        {
            var cited = CodeLenses.Resolve(ws.Snapshot, lens.Key);
            lines.Add($"{ws.Location(ws.FirstPath, lens.Span)} {cited.Title}");
            lines.AddRange(cited.Places.Select(p => "  " + ws.Location(p)));
        }
        Expect.Text(expected, lines.Count == 0 ? "(none)" : string.Join("\n", lines));
    }

    [Fact]
    public void Every_library_entry_counts_the_notes_citing_it() => Check("""
        //- lib/refs.bib
        @article{twice2020, title={A}}
        @article{once2021, title={B}}
        @article{never2022, title={C}}
        //- notes/a.md
        @twice2020 and [@once2021; @twice2020]
        //- notes/b.md
        @twice2020
        """, """
        lib/refs.bib:0:9-0:18 cited in 2 notes
          notes/a.md:0:1-0:10
          notes/a.md:0:28-0:37
          notes/b.md:0:1-0:10
        lib/refs.bib:1:9-1:17 cited in 1 note
          notes/a.md:0:17-0:25
        lib/refs.bib:2:9-2:18 not cited
        """);

    [Fact]
    public void Csl_yaml_entries_get_lenses_too() => Check("""
        //- lib/papers.csl.yaml
        - id: yaml2020
          title: From YAML
        //- notes/a.md
        @yaml2020
        """, """
        lib/papers.csl.yaml:0:6-0:14 cited in 1 note
          notes/a.md:0:1-0:9
        """);

    [Fact]
    public void A_paper_note_shows_its_count_on_its_citekey() => Check("""
        //- notes/papers/p.md
        ---
        citekey: paper2020
        ---
        //- notes/a.md
        [@paper2020]
        //- lib/refs.bib
        @misc{paper2020, title={P}}
        """, """
        notes/papers/p.md:1:9-1:18 cited in 1 note
          notes/a.md:0:2-0:11
        """);

    [Fact]
    public void Plain_notes_have_none() => Check("""
        //- notes/a.md
        Nothing here.
        """, "(none)");
}
