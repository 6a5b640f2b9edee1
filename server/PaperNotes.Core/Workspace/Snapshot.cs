using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Workspace;

/// <summary>
/// One consistent view of the workspace: its libraries and notes. Immutable; handlers read a snapshot
/// while the next one is built. Paths are absolute with '/' separators.
/// </summary>
public sealed record Snapshot(string Root, WorkspaceConfig Config, LibrarySet Libraries, NoteSet Notes)
{
    public static Snapshot Create(string root, WorkspaceConfig config, IEnumerable<LibraryFile> libraries, IEnumerable<Note> notes) =>
        new(PathUtil.Normalize(root), config, LibrarySet.Create(libraries), NoteSet.Create(notes));

    public Snapshot WithNote(Note note) => this with { Notes = Notes.With(note) };
    public Snapshot WithoutNote(string path) => this with { Notes = Notes.Without(path) };
    public Snapshot WithLibrary(LibraryFile file) => this with { Libraries = Libraries.With(file) };
    public Snapshot WithoutLibrary(string path) => this with { Libraries = Libraries.Without(path) };

    public string RelativePath(string path) => PathUtil.Relative(Root, path);

    /// <summary>Whether <paramref name="key"/> resolves for <paramref name="note"/> (see <see cref="ResolveKey"/>), without
    /// decoding the paper: diagnostics and semantic tokens check every citation of every note, and a lazily decoded
    /// library keeps no paper a pass decoded.</summary>
    public bool Knows(Note? note, string key) => Reference(note, key) is not null || Libraries.Contains(key);

    /// <summary>The title and short who-and-when of what <paramref name="key"/> resolves to for <paramref name="note"/>,
    /// without decoding a library paper once the library's search index is built (<see cref="LibrarySet.TryLabels"/>).</summary>
    public bool TryLabels(Note? note, string key, out string? title, out string who)
    {
        if (Reference(note, key) is not { } paper) return Libraries.TryLabels(key, out title, out who);
        (title, who) = Search.HitLabels.Of(paper);
        return true;
    }

    /// <summary>The paper a key names as seen from a note: the note's own front-matter references first, then the libraries.</summary>
    public Paper? ResolveKey(Note? note, string key) => Reference(note, key) ?? Libraries.Find(key);

    /// <summary>The note's own front-matter reference with this key, if any: only that note sees it.</summary>
    private static Paper? Reference(Note? note, string key)
    {
        if (note is not null)
            foreach (var paper in note.FrontMatter.References)
                if (paper.Key == key) return paper;
        return null;
    }

    /// <summary>Absolute paths of a note's front-matter bibliography files.</summary>
    public IEnumerable<(BibliographyRef Ref, string Path)> BibliographyOf(Note note) =>
        note.FrontMatter.Bibliography.Select(b => (b, PathUtil.Resolve(note.Path, b.Path)));

    /// <summary>Bibliography files some note (or only <paramref name="note"/>) names that are not loaded yet, for the loader to read.</summary>
    public IEnumerable<string> UnloadedBibliographies(Note? note = null) =>
        (note is null ? Notes.Notes.Values : [note]).SelectMany(BibliographyOf).Select(b => b.Path)
            .Where(p => !Libraries.Files.ContainsKey(p)).Distinct();

    /// <summary>
    /// The note a wiki link names: a paper note's citekey, a note's file name without .md (case-insensitive),
    /// or a path relative to the linking note or to the root (with or without .md). Null when nothing matches.
    /// </summary>
    public Note? ResolveWikiLink(Note from, string target)
    {
        var anchor = target.IndexOf('#');
        if (anchor >= 0) target = target[..anchor];
        if (target.Length == 0) return from;
        if (Notes.PaperNoteOf(target) is { } paperNote) return paperNote;
        if (!target.Contains('/'))
        {
            // [[x]] and [[x.md]] both name x.md, wherever it is (as Obsidian reads them).
            var named = Notes.NotesNamed(NotePaths.NameOf(NotePaths.IsNote(target) ? target : target + ".md"));
            if (named.Count > 0) return Notes.Find(named.First());
        }
        foreach (var candidate in new[] { PathUtil.Resolve(from.Path, target), PathUtil.Combine(Root, target) })
        {
            if (Notes.Find(candidate) is { } note) return note;
            if (Notes.Find(candidate + ".md") is { } withExt) return withExt;
        }
        return null;
    }

    /// <summary>Line index of any file the snapshot knows (note or library).</summary>
    public LineIndex? LinesOf(string path) =>
        Notes.Find(path)?.Lines ?? (Libraries.Files.TryGetValue(path, out var lib) ? lib.Lines : null);
}
