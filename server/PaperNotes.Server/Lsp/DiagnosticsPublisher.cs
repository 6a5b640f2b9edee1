using PaperNotes.Core.Diagnostics;
using PaperNotes.Server.Convert;
using PaperNotes.Server.State;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// Publishes diagnostics for every note and library file, opened or not. Changes mark paths dirty; one
/// background loop checks the dirty paths against the newest snapshot (edited documents first, so an edit's
/// findings arrive fast) and sends only what changed, with an empty set for files that were fixed or removed.
/// Bursts of edits coalesce: the loop always works on the latest snapshot. A folder publishes nothing until
/// its first index is in: before that, a defined key could look unknown. Versions come from the same snapshot.
/// </summary>
public sealed class DiagnosticsPublisher
{
    private readonly WorkspaceState _state;
    private readonly Func<P.PublishDiagnosticsParams, Task> _publish;
    private readonly object _lock = new();
    private HashSet<string> _dirty = new(StringComparer.Ordinal);
    private bool _allDirty;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Dictionary<string, string> _published = new(StringComparer.Ordinal); // path -> fingerprint

    public DiagnosticsPublisher(WorkspaceState state, Func<P.PublishDiagnosticsParams, Task> publish)
    {
        _state = state;
        _publish = publish;
        state.Changed += (_, _, dirty) => MarkDirty(dirty);
    }

    public void MarkDirty(IReadOnlyCollection<string>? paths)
    {
        lock (_lock)
        {
            if (paths is null) _allDirty = true;
            else _dirty.UnionWith(paths);
        }
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            await _signal.WaitAsync(cancellation);
            HashSet<string> dirty;
            bool all;
            lock (_lock)
            {
                (dirty, _dirty) = (_dirty, new HashSet<string>(StringComparer.Ordinal));
                all = _allDirty;
                _allDirty = false;
            }
            var snapshot = _state.Current;
            if (all)
            {
                foreach (var folder in snapshot.Folders)
                {
                    dirty.UnionWith(folder.Snapshot.Notes.Notes.Keys);
                    dirty.UnionWith(folder.Snapshot.Libraries.Files.Keys);
                }
                lock (_published) dirty.UnionWith(_published.Keys);
            }
            // Open documents first: they are what the user is looking at.
            var ordered = dirty.OrderBy(p => snapshot.Documents.ContainsKey(p) ? 0 : 1).ThenBy(p => p, StringComparer.Ordinal);
            foreach (var path in ordered)
            {
                if (cancellation.IsCancellationRequested) return;
                // Not indexed yet: its findings are published (all of them) once the index is in.
                if (snapshot.FolderOf(path) is not { Indexed: true } folder) continue;
                await PublishAsync(snapshot, folder.Snapshot, path);
            }
        }
    }

    private async Task PublishAsync(ServerSnapshot state, PaperNotes.Core.Workspace.Snapshot snapshot, string path)
    {
        IReadOnlyList<Diagnostic> found;
        if (snapshot.Notes.Find(path) is { } note) found = DiagnosticCollector.ForNote(snapshot, note);
        else if (snapshot.Libraries.Files.TryGetValue(path, out var library))
            found = DiagnosticCollector.ForLibrary(snapshot, library, new DiagnosticOptions(state.Settings.UnusedEntriesUpTo));
        else found = [];
        var lines = snapshot.LinesOf(path);
        var diagnostics = lines is null ? [] : found.Select(d => ToLsp.Diagnostic(snapshot, lines, d)).ToList();
        var fingerprint = string.Join("\n", diagnostics.Select(d => $"{d.Range}|{d.Code}|{d.Message}|{d.RelatedInformation?.Count}|{d.Tags?.Count}"));
        lock (_published)
        {
            if (_published.TryGetValue(path, out var previous) ? previous == fingerprint : diagnostics.Count == 0) return;
            if (diagnostics.Count == 0) _published.Remove(path);
            else _published[path] = fingerprint;
        }
        var version = state.VersionOf(path);
        await _publish(new P.PublishDiagnosticsParams(Uris.FromPath(path), version, diagnostics));
    }
}
