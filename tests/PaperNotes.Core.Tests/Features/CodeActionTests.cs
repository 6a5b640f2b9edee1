using PaperNotes.Core.Features;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Features;

/// <summary>
/// Code actions for the <c>^^^</c> range (or the cursor): one block per action, its title (with "preferred"),
/// its edits and the file it creates with the content; "(none)" when there is none.
/// </summary>
public class CodeActionTests
{
    private static void Check(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var (path, range) = ws.Ranges.Count > 0 ? ws.Ranges[0] : (ws.Cursor, new TextSpan(ws.CursorOffset, 0));
        var actions = CodeActions.Find(ws.Context(path), range);
        var lines = new List<string>();
        foreach (var action in actions)
        {
            lines.Add(action.Title + (action.IsPreferred ? " (preferred)" : ""));
            lines.AddRange(action.Edits.Select(e => $"  edit {ws.Location(e.Path, e.Span)} -> \"{e.NewText}\""));
            if (action.CreatePath is not null)
                lines.Add($"  create {ws.Relative(action.CreatePath)}\n{action.CreateText}");
            if (action.OpenUri is not null) lines.Add($"  open {action.OpenUri}");
        }
        Expect.Text(expected, lines.Count == 0 ? "(none)" : string.Join("\n", lines));
    }

    private const string Library = """
        //- lib/refs.bib
        @article{vaswani2017, title={Attention Is "All" You Need}}
        @article{vaswani2018, title={Other}}
        @article{he2016, title={ResNet}}
        """;

    [Fact]
    public void Unknown_key_offers_each_suggestion_the_first_preferred() => Check(Library + """

        //- notes/a.md
        See [@vaswani2019$0].
        """, """
        Replace with '@vaswani2017' (preferred)
          edit notes/a.md:0:6-0:17 -> "vaswani2017"
        Replace with '@vaswani2018'
          edit notes/a.md:0:6-0:17 -> "vaswani2018"
        """);

    [Fact]
    public void Unknown_key_without_suggestion_offers_nothing() => Check(Library + """

        //- notes/a.md
        See [@zzzzzz$0].
        """, "(none)");

    [Fact]
    public void Known_key_without_paper_note_offers_to_create_it() => Check(Library + """

        //- notes/a.md
        See [@vaswani2017$0].
        """, """
        Create paper note for @vaswani2017
          create notes/papers/vaswani2017.md
        ---
        citekey: "vaswani2017"
        title: "Attention Is \"All\" You Need"
        ---

        # Attention Is "All" You Need
        """);

    [Fact]
    public void Known_key_with_a_paper_note_offers_to_open_it() => Check(Library + """

        //- notes/a.md
        See [@he2016$0].
        //- notes/papers/resnet.md
        ---
        citekey: he2016
        ---
        """, """
        Open paper note of @he2016
          open file:///w/notes/papers/resnet.md
        """);

    [Fact]
    public void Wiki_link_to_a_key_offers_to_create_its_paper_note() => Check(Library + """

        //- notes/a.md
        See [[he2016$0]].
        """, """
        Create paper note for @he2016
          create notes/papers/he2016.md
        ---
        citekey: "he2016"
        title: "ResNet"
        ---

        # ResNet
        """);

    [Fact]
    public void A_selection_covers_every_citation_in_it() => Check(Library + """

        //- notes/a.md
        See [@vaswani2019] and [@he2016] and [@vaswani2017].
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^
        """, """
        Replace with '@vaswani2017' (preferred)
          edit notes/a.md:0:6-0:17 -> "vaswani2017"
        Replace with '@vaswani2018'
          edit notes/a.md:0:6-0:17 -> "vaswani2018"
        Create paper note for @he2016
          create notes/papers/he2016.md
        ---
        citekey: "he2016"
        title: "ResNet"
        ---

        # ResNet
        """);

    [Fact]
    public void A_created_paper_note_is_a_paper_note_of_its_key() {
        var ws = TestWorkspace.From(Library + "\n//- notes/a.md\n[@vaswani2017]\n");
        var action = CodeActions.CreatePaperNote(ws.Snapshot, "vaswani2017", "Attention: \"All\"");
        var note = Core.Notes.NoteParser.Parse(action.CreatePath!, action.CreateText!);
        var snapshot = ws.Snapshot.WithNote(note);
        Assert.Empty(note.Errors);
        Assert.Equal(action.CreatePath, snapshot.Notes.PaperNoteOf("vaswani2017")?.Path);
        Assert.Equal("Attention: \"All\"", note.Title);
    }

    [Fact]
    public void A_citation_of_a_paper_with_an_existing_pdf_offers_to_open_it()
    {
        var ws = TestWorkspace.From("""
            //- lib/refs.bib
            @article{withpdf, title={P}, file={Full Text:pdfs/p.pdf:application/pdf;Gone:pdfs/missing.pdf:application/pdf}}
            //- notes/a.md
            See [@withpdf$0].
            """);
        var context = ws.Context(ws.Cursor) with { Options = new FeatureOptions { FileExists = p => p == "/w/lib/pdfs/p.pdf" } };
        var titles = CodeActions.Find(context, new TextSpan(ws.CursorOffset, 0)).Select(a => $"{a.Title} {a.OpenUri}");
        Assert.Equal(["Open PDF of @withpdf file:///w/lib/pdfs/p.pdf", "Create paper note for @withpdf "], titles);
    }
}
