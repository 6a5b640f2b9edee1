using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.State;

/// <summary>What one file's change did to a folder's snapshot, and which findings it may have changed (null: all).</summary>
public sealed record FileChange(Snapshot Snapshot, IReadOnlyCollection<string>? Dirty);

/// <summary>
/// Brings one file of a folder snapshot up to its truth: the editor's text while it is open, else the disk.
/// The writer's only way to change a file, so edits, disk events and the re-application of changes after a
/// background index all behave alike. Reads the disk (never Core).
/// </summary>
public static class FileRefresh
{
    /// <summary>The snapshot with the editor's text of an open document in it.</summary>
    /// <remarks>A note the snapshot holds already is updated from its previous text (only the edited paragraph
    /// re-parsed when that gives the same note).</remarks>
    public static FileChange FromEditor(Snapshot snapshot, string path, string text, string languageId)
    {
        var (library, note) = snapshot.Notes.Find(path) is { } previous && LibraryParser.KindOf(path) is null
            ? (null, NoteParser.Update(previous, text))
            : Parse(snapshot, path, text, forceNote: languageId == "markdown");
        return With(snapshot, path, library, note);
    }

    /// <summary>The snapshot with the disk's version of a file that is not open (changed, created, deleted, or closed).</summary>
    /// <param name="cache">Where a big library's image is read from and written to (the warm start); null: neither.</param>
    public static FileChange FromDisk(Snapshot snapshot, string path, LibraryCache? cache = null)
    {
        bool isLibrary = snapshot.Libraries.Files.ContainsKey(path), isNote = snapshot.Notes.Find(path) is not null;
        if (!File.Exists(path))
        {
            if (isLibrary) return new FileChange(snapshot.WithoutLibrary(path), null);
            if (isNote) return new FileChange(snapshot.WithoutNote(path), [path]);
            return new FileChange(snapshot, []);
        }
        var relative = PathUtil.Relative(snapshot.Root, path);
        bool wanted = isLibrary || isNote || snapshot.Config.IsLibrary(relative) || snapshot.Config.IsNote(relative) || IsBibliography(snapshot, path, out _);
        if (!wanted) return new FileChange(snapshot, []);
        // A library streams in (never read whole into one string); unreadable, it says so at the file.
        if (LibraryParser.KindOf(path) is { } kind || IsBibliography(snapshot, path, out kind))
            return new FileChange(snapshot.WithLibrary(DiskLoader.LoadLibrary(path, kind, snapshot.Libraries.Files.GetValueOrDefault(path), cache)), null);
        if (DiskLoader.ReadText(path) is not { } text) return new FileChange(snapshot.WithoutNote(path), [path]); // vanished mid-read
        var (library, note) = Parse(snapshot, path, text, forceNote: false);
        return With(snapshot, path, library, note);
    }

    /// <summary>Puts what a file parsed to into the snapshot: a library can change every note's findings, a note its own
    /// (and the bibliographies it names are loaded).</summary>
    private static FileChange With(Snapshot snapshot, string path, LibraryFile? library, Note? note)
    {
        if (library is not null) return new FileChange(snapshot.WithLibrary(library), null);
        if (note is not null) return new FileChange(DiskLoader.LoadBibliographies(snapshot.WithNote(note), onlyOf: note), [path]);
        return new FileChange(snapshot, []);
    }

    /// <summary>Whether a file that is not open is (or, by name and the library globs, would be) a library file.</summary>
    public static bool IsLibraryOnDisk(Snapshot snapshot, string path) =>
        snapshot.Libraries.Files.ContainsKey(path)
        || (LibraryParser.KindOf(path) is not null && snapshot.Config.IsLibrary(PathUtil.Relative(snapshot.Root, path)));

    /// <summary>Copies what <paramref name="from"/> holds for a file into <paramref name="into"/> (parsed once, reused).</summary>
    public static FileChange Copy(Snapshot from, Snapshot into, string path)
    {
        if (from.Libraries.Files.TryGetValue(path, out var library))
            return new FileChange(into.WithoutNote(path).WithLibrary(library), null);
        if (from.Notes.Find(path) is { } note)
            return new FileChange(DiskLoader.LoadBibliographies(into.WithoutLibrary(path).WithNote(note), onlyOf: note), [path]);
        bool hadLibrary = into.Libraries.Files.ContainsKey(path);
        return new FileChange(into.WithoutLibrary(path).WithoutNote(path), hadLibrary ? null : [path]);
    }

    /// <summary>A library file by its name (or because a note names it as a bibliography), else a note.</summary>
    private static (LibraryFile? Library, Note? Note) Parse(Snapshot snapshot, string path, string text, bool forceNote)
    {
        if (LibraryParser.KindOf(path) is { } kind || IsBibliography(snapshot, path, out kind))
            return (LibraryParser.Parse(path, text, kind, snapshot.Libraries.Files.GetValueOrDefault(path)), null);
        return forceNote || NotePaths.IsNote(path) ? (null, NoteParser.Parse(path, text)) : (null, null);
    }

    /// <summary>True when some note names the file in its front-matter <c>bibliography:</c>.</summary>
    private static bool IsBibliography(Snapshot snapshot, string path, out LibraryKind kind)
    {
        // The name check first: it rules out every note cheaply, so an edit never scans all notes' front matter.
        kind = default;
        if (LibraryParser.KindOf(path, lenient: true) is not { } k) return false;
        bool referenced = snapshot.Libraries.Files.ContainsKey(path)
            || snapshot.Notes.Notes.Values.Any(n => snapshot.BibliographyOf(n).Any(b => b.Path == path));
        kind = k;
        return referenced;
    }
}
