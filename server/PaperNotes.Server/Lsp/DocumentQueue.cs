using System.Threading.Channels;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// Applies changes to the snapshot off the protocol's reader thread: one writer, in order, and a burst of
/// edits to one document is parsed once (only its latest text). A request about a document waits until
/// that document's latest text is in the snapshot; requests about other documents never wait, so a
/// 10 MB note being parsed does not hold up a hover elsewhere.
/// </summary>
public sealed class DocumentQueue(ServerState state, ServerLog log)
{
    /// <summary>What the snapshot holds of an open document: which change, which editor version, which text.</summary>
    public sealed record Applied(long Sequence, int Version, string Text);

    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _lock = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Applied> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal); // set before the update, for publishing
    private readonly List<(string Path, long Sequence, TaskCompletionSource Done)> _waiters = [];

    /// <summary>An open document changed (or closed, or a file changed on disk): bring the snapshot up to date.</summary>
    public void Enqueue(string path)
    {
        lock (_lock)
            if (_queued.Add(path)) _channel.Writer.TryWrite(path);
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        await foreach (var path in _channel.Reader.ReadAllAsync(cancellation))
        {
            var document = state.Documents.Get(path);
            lock (_lock)
            {
                _queued.Remove(path);
                // Diagnostics computed from this update must carry its version; they are published as soon as
                // the snapshot changes, which is before MarkApplied below.
                if (document is null) _versions.Remove(path);
                else _versions[path] = document.Version;
            }
            try
            {
                if (document is null) state.ReloadFromDisk(path); // closed, or changed on disk
                else state.SetDocument(path, document.Text, forceNote: document.LanguageId == "markdown");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Error($"updating {path} failed: {e}");
            }
            MarkApplied(path, document);
        }
    }

    /// <summary>The editor version of the open document's text in (or entering) the snapshot.</summary>
    public int? VersionOf(string path)
    {
        lock (_lock) return _versions.TryGetValue(path, out var version) ? version : null;
    }

    /// <summary>The open document as the snapshot knows it (null when not open or not applied yet).</summary>
    public Applied? AppliedOf(string path)
    {
        lock (_lock) return _applied.GetValueOrDefault(path);
    }

    /// <summary>Completes when the snapshot holds the document's latest text (at once for other files).</summary>
    public Task WhenCurrentAsync(string path, CancellationToken cancellation)
    {
        var document = state.Documents.Get(path);
        if (document is null) return Task.CompletedTask;
        lock (_lock)
        {
            if (_applied.TryGetValue(path, out var applied) && applied.Sequence >= document.Sequence) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((path, document.Sequence, done));
            // Never wait forever: a late answer from the previous text beats no answer.
            return done.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void MarkApplied(string path, OpenDocument? document)
    {
        lock (_lock)
        {
            if (document is null) _applied.Remove(path);
            else _applied[path] = new Applied(document.Sequence, document.Version, document.Text);
            long sequence = document?.Sequence ?? long.MaxValue;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Path != path || _waiters[i].Sequence > sequence) continue;
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }
}
