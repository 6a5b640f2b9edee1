using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// The server's one piece of mutable state: the current snapshot. A single writer (under a lock) applies
/// changes in order and publishes a new immutable snapshot; request handlers read whichever snapshot is
/// current when they start and never block the writer.
/// </summary>
public sealed class ServerState
{
    private readonly object _writeLock = new();
    private volatile Snapshot _snapshot;

    public ServerState(string root)
    {
        Root = PathUtil.Normalize(root);
        _snapshot = Snapshot.Create(Root, WorkspaceConfig.Default, [], []);
    }

    public string Root { get; }
    public DocumentStore Documents { get; } = new();
    public Snapshot Snapshot => _snapshot;

    /// <summary>True until the first full index of the workspace is in.</summary>
    public volatile bool Indexing = true;

    /// <summary>Editor settings (<c>paperNotes.library</c>, <c>paperNotes.notes</c>); null lists mean "not set".</summary>
    public WorkspaceConfig? SettingsOverride { get; set; }

    /// <summary>Raised after every change with the paths whose findings may have changed (null: all).</summary>
    public event Action<IReadOnlyCollection<string>?>? Changed;

    public void Update(Func<Snapshot, Snapshot> change, IReadOnlyCollection<string>? dirty)
    {
        lock (_writeLock)
        {
            _snapshot = change(_snapshot);
        }
        Changed?.Invoke(dirty);
    }

    /// <summary>Re-reads a document from the editor's text (open) and updates the snapshot.</summary>
    public void SetDocument(string path, string text, bool forceNote = false)
    {
        // Parse outside the write lock; only the cheap snapshot update runs under it.
        var parsed = Parse(path, text, forceNote);
        if (parsed.Library is { } library) Update(s => s.WithLibrary(library), null); // can affect every note
        else if (parsed.Note is { } note) Update(s => DiskLoader.LoadBibliographies(s.WithNote(note), onlyOf: note), [path]);
    }

    /// <summary>The snapshot with this document's text in it (the indexer lays open documents over the disk with it).</summary>
    public Snapshot WithDocument(Snapshot snapshot, string path, string text, bool forceNote)
    {
        var parsed = Parse(path, text, forceNote);
        if (parsed.Library is { } library) return snapshot.WithLibrary(library);
        return parsed.Note is { } note ? snapshot.WithNote(note) : snapshot;
    }

    /// <summary>A library file by its name (or because a note names it as a bibliography), else a note.</summary>
    private (LibraryFile? Library, Note? Note) Parse(string path, string text, bool forceNote)
    {
        if (LibraryParser.KindOf(path) is { } kind || IsBibliography(path, out kind))
            return (LibraryParser.Parse(path, text, kind), null);
        return forceNote || NotePaths.IsNote(path) ? (null, NoteParser.Parse(path, text)) : (null, null);
    }

    /// <summary>A file changed on disk (or was closed in the editor): reload it unless the editor owns it.</summary>
    public void ReloadFromDisk(string path)
    {
        if (Documents.IsOpen(path)) return;
        var snapshot = Snapshot;
        bool known = snapshot.Notes.Find(path) is not null || snapshot.Libraries.Files.ContainsKey(path);
        if (!File.Exists(path))
        {
            if (snapshot.Libraries.Files.ContainsKey(path)) Update(s => s.WithoutLibrary(path), null);
            else if (snapshot.Notes.Find(path) is not null) Update(s => s.WithoutNote(path), [path]);
            return;
        }
        var relative = PathUtil.Relative(Root, path);
        bool wanted = known || snapshot.Config.IsLibrary(relative) || snapshot.Config.IsNote(relative) || IsBibliography(path, out _);
        if (!wanted || DiskLoader.ReadText(path) is not { } text) return;
        SetDocument(path, text);
    }

    /// <summary>True when some note names the file in its front-matter <c>bibliography:</c>.</summary>
    private bool IsBibliography(string path, out LibraryKind kind)
    {
        // The name check first: it rules out every note cheaply, so an edit never scans all notes' front matter.
        kind = default;
        if (LibraryParser.KindOf(path, lenient: true) is not { } k) return false;
        var snapshot = Snapshot;
        bool referenced = snapshot.Libraries.Files.ContainsKey(path)
            || snapshot.Notes.Notes.Values.Any(n => snapshot.BibliographyOf(n).Any(b => b.Path == path));
        kind = k;
        return referenced;
    }
}
