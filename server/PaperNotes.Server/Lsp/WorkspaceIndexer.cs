using PaperNotes.Core.Workspace;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// Indexes the whole workspace from disk off the request path: libraries first (so hover and completion work
/// early), then notes; open documents are laid over what the disk says. Reports progress as it goes.
/// </summary>
public sealed class WorkspaceIndexer(ServerState state, ServerLog log)
{
    /// <summary>Progress callbacks: message (null to end) and the counts for the status notification.</summary>
    public async Task RunAsync(Func<string, Task> report, CancellationToken cancellation)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        state.Indexing = true;
        await Task.Yield();
        var scan = DiskLoader.Scan(state.Root, state.SettingsOverride);
        if (scan.ConfigError is not null) log.Warn(scan.ConfigError);
        await report($"Reading {scan.LibraryPaths.Count} library files");
        var libraries = DiskLoader.LoadLibraries(scan.LibraryPaths);
        cancellation.ThrowIfCancellationRequested();
        var librarySet = LibrarySet.Create(libraries);
        await report($"Indexing {librarySet.Papers.Count:N0} papers");
        state.Update(s => OverlayOpenDocuments(new Snapshot(scan.Root, scan.Config, librarySet, NoteSet.Empty)), []);
        log.Info($"loaded {librarySet.Papers.Count:N0} papers from {libraries.Count} files in {watch.ElapsedMilliseconds} ms");

        await report($"Reading {scan.NotePaths.Count:N0} notes");
        var notes = DiskLoader.LoadNotes(scan.NotePaths);
        cancellation.ThrowIfCancellationRequested();
        var noteSet = NoteSet.Create(notes);
        state.Update(s => OverlayOpenDocuments(DiskLoader.LoadBibliographies(new Snapshot(scan.Root, scan.Config, librarySet, noteSet))), null);
        state.Indexing = false;
        log.Info($"indexed {librarySet.Papers.Count:N0} papers and {notes.Count:N0} notes in {watch.ElapsedMilliseconds} ms");
    }

    /// <summary>Builds the search index now, in the background, rather than on the first keystroke.</summary>
    public async Task WarmUpAsync(CancellationToken cancellation)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Run(() => state.Snapshot.Libraries.WarmUp(), cancellation);
        log.Info($"search index ready in {watch.ElapsedMilliseconds} ms");
    }

    /// <summary>What the editor has open wins over the disk.</summary>
    private Snapshot OverlayOpenDocuments(Snapshot snapshot)
    {
        foreach (var document in state.Documents.All)
            snapshot = state.WithDocument(snapshot, document.Path, document.Text, document.LanguageId == "markdown");
        return snapshot;
    }
}
