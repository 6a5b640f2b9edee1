using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Workspace;

/// <summary>Snapshot lookups: wiki-link resolution, key resolution and bibliographies, rendered as text.</summary>
public class SnapshotTests
{
    /// <summary>Resolves each wiki link of the cursor's note: <c>target -> path</c> or <c>-</c>.</summary>
    private static void CheckLinks(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var note = ws.Snapshot.Notes.Find(ws.Cursor)!;
        Expect.Text(expected, string.Join("\n", note.WikiLinks.Select(l =>
            $"{l.Target} -> {(ws.Snapshot.ResolveWikiLink(note, l.Target) is { } n ? ws.Relative(n.Path) : "-")}")));
    }

    [Fact]
    public void Wiki_links_resolve_by_citekey_name_relative_and_root_path() => CheckLinks("""
        //- notes/sub/here.md
        [[key2020]] [[there]] [[THERE]] [[../top]] [[notes/top]] [[notes/top.md]] [[deep/x]] [[#anchor]] [[top#part]] [[nope]] [[x.md]]
        //- notes/top.md
        //- notes/sub/there.md
        //- notes/sub/deep/x.md
        //- notes/papers/k.md
        ---
        citekey: key2020
        ---
        """, """
        key2020 -> notes/papers/k.md
        there -> notes/sub/there.md
        THERE -> notes/sub/there.md
        ../top -> notes/top.md
        notes/top -> notes/top.md
        notes/top.md -> notes/top.md
        deep/x -> notes/sub/deep/x.md
        #anchor -> notes/sub/here.md
        top#part -> notes/top.md
        nope -> -
        x.md -> notes/sub/deep/x.md
        """);

    [Fact]
    public void Same_name_in_two_folders_resolves_to_the_first_in_path_order() => CheckLinks("""
        //- notes/a.md
        [[dup]]
        //- notes/z/dup.md
        //- notes/b/dup.md
        """, "dup -> notes/b/dup.md");

    [Fact]
    public void A_notes_own_references_shadow_the_library()
    {
        var ws = TestWorkspace.From("""
            //- lib/refs.bib
            @article{key, title={Library}}
            //- notes/a.md
            ---
            references:
            - id: key
              title: Local
            ---
            //- notes/b.md
            """);
        var a = ws.Snapshot.Notes.Find(TestWorkspace.Abs("notes/a.md"));
        var b = ws.Snapshot.Notes.Find(TestWorkspace.Abs("notes/b.md"));
        Assert.Equal("Local", ws.Snapshot.ResolveKey(a, "key")?.Title);
        Assert.Equal("Library", ws.Snapshot.ResolveKey(b, "key")?.Title);
        Assert.Equal("Library", ws.Snapshot.ResolveKey(null, "key")?.Title);
    }

    [Fact]
    public void Bibliographies_resolve_relative_to_the_note_and_unloaded_ones_are_listed()
    {
        var ws = TestWorkspace.From("""
            //- notes/a.md
            ---
            bibliography: [../refs/x.json, "y.yaml", /abs/z.bib]
            ---
            //- refs/x.json
            []
            """);
        var note = ws.Snapshot.Notes.Find(TestWorkspace.Abs("notes/a.md"))!;
        Expect.Text("""
            ../refs/x.json -> /w/refs/x.json
            y.yaml -> /w/notes/y.yaml
            /abs/z.bib -> /abs/z.bib
            """, string.Join("\n", ws.Snapshot.BibliographyOf(note).Select(b => $"{b.Ref.Path} -> {b.Path}")));
        Assert.Equal(["/w/notes/y.yaml", "/abs/z.bib"], ws.Snapshot.UnloadedBibliographies());
        Assert.True(ws.Snapshot.Libraries.Files.ContainsKey("/w/refs/x.json"));
    }
}
