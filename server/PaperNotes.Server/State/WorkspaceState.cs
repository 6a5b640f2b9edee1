using System.Collections.Immutable;
using System.Threading.Channels;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.State;

/// <summary>
/// The server's one state and its one writer. Every change — an edit, an open or close, a disk event, a
/// folder added or removed, a finished (re)index — is a message on one channel, applied in order by one loop
/// that publishes a new <see cref="ServerSnapshot"/> with the next revision. Requests never block the writer:
/// they wait (bounded) for the revision they need and then read that one snapshot. The writer does no heavy work
/// for files that are not open: a folder index and a library file changed on disk are read in the background and
/// handed back as messages (the current snapshot answers meanwhile; a burst of rewrites is read once more, not
/// once per change).
/// </summary>
public sealed class WorkspaceState
{
    private abstract record Change;
    /// <summary>Bring a file to its truth (editor text if open, else disk); coalesced per path.</summary>
    private sealed record Refresh(string Path) : Change;
    private sealed record SetFolders(IReadOnlyList<string> Roots, TaskCompletionSource Done) : Change;
    private sealed record SetSettings(EditorSettings Settings, TaskCompletionSource Done) : Change;
    private sealed record BeginIndex(string Root, TaskCompletionSource<long> Run) : Change;
    private sealed record FinishIndex(string Root, long Run, Snapshot Indexed, TaskCompletionSource Done) : Change;
    /// <summary>A library file re-read from disk in the background against <paramref name="Base"/>.</summary>
    /// <param name="SameKeys">The reloaded set defines the keys <paramref name="Base"/> does (only entries' fields changed).</param>
    private sealed record FinishReload(string Path, long Generation, LibrarySet Base, LibrarySet Reloaded, bool SameKeys) : Change;

    /// <summary>A library file being re-read off the writer: the latest change's number (counted up by the writer, read
    /// by the read once the file is quiet), and whether a read runs.</summary>
    private sealed class LibraryReload
    {
        public long Generation;
        public bool Running;
    }

    /// <summary>A background index of a folder in flight, and every file changed since it began.</summary>
    private sealed record IndexRun(long Id, HashSet<string> Touched);

    private readonly DocumentStore _documents;
    private readonly ServerLog _log;
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal); // paths with a Refresh waiting in the channel
    private readonly Dictionary<string, IndexRun> _runs = new(StringComparer.Ordinal); // writer-only
    private readonly Dictionary<string, LibraryReload> _reloads = new(StringComparer.Ordinal); // writer-only
    private readonly List<Waiter> _waiters = [];
    private long _nextRun;
    private volatile ServerSnapshot _current = ServerSnapshot.Empty;

    private sealed record Waiter(Func<ServerSnapshot, bool> Ready, TaskCompletionSource<ServerSnapshot> Done);

    private readonly TimeSpan _readyLimit;

    private readonly Func<Snapshot, string, LibrarySet> _readLibrary;

    /// <param name="readyLimit">How long a request waits for what it needs before it answers from what exists.</param>
    /// <param name="readLibrary">Re-reads a library file from disk into the folder's library set (off the writer); tests
    /// hold it to see what happens meanwhile.</param>
    /// <param name="cache">The library cache (the warm start), used unless the settings turn it off; null: none.</param>
    /// <param name="untilQuiet">What a reload waits for before it reads the file (default: until the file stops changing,
    /// <see cref="WaitUntilQuietAsync"/>); tests of the writer read at once.</param>
    public WorkspaceState(DocumentStore documents, ServerLog log, TimeSpan readyLimit, Func<Snapshot, string, LibrarySet>? readLibrary = null,
        LibraryCache? cache = null, Func<string, Task>? untilQuiet = null)
    {
        _untilQuiet = untilQuiet ?? WaitUntilQuietAsync;
        _documents = documents;
        _log = log;
        _readyLimit = readyLimit;
        _cache = cache;
        _readLibrary = readLibrary ?? ((folder, path) => FileRefresh.FromDisk(folder, path, Cache).Snapshot.Libraries);
    }

    private readonly LibraryCache? _cache;
    private readonly Func<string, Task> _untilQuiet;

    /// <summary>Where libraries are read from and written to between runs, unless the settings turn it off.</summary>
    public LibraryCache? Cache => _current.Settings.CacheEnabled ? _cache : null;

    /// <summary>The default <c>readyLimit</c>: a request waits at most this long for the first index or its document's text.</summary>
    public static readonly TimeSpan DefaultReadyLimit = TimeSpan.FromSeconds(10);

    public ServerSnapshot Current => _current;

    /// <summary>Raised on the writer after each new snapshot (previous, new), with the paths whose findings may have changed (null: all).</summary>
    public event Action<ServerSnapshot, ServerSnapshot, IReadOnlyCollection<string>?>? Changed;

    /// <summary>An open document changed, opened or closed, or a file changed on disk: bring it up to date.</summary>
    public void FileChanged(string path)
    {
        lock (_queued)
            if (_queued.Add(path)) _changes.Writer.TryWrite(new Refresh(path));
    }

    /// <summary>Sets the workspace folders; completes once the writer applied it. New folders start unindexed.</summary>
    public Task SetFoldersAsync(IReadOnlyList<string> roots)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _changes.Writer.TryWrite(new SetFolders(roots, done));
        return done.Task;
    }

    /// <summary>Sets the editor's settings; completes once the writer applied it.</summary>
    public Task SetSettingsAsync(EditorSettings settings)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _changes.Writer.TryWrite(new SetSettings(settings, done));
        return done.Task;
    }

    /// <summary>
    /// Starts recording the files that change in a folder, for an index about to read it from disk; returns the
    /// run's id. Read the disk only after this completes: a change applied before it is on disk already.
    /// </summary>
    public Task<long> BeginIndexAsync(string root)
    {
        var run = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _changes.Writer.TryWrite(new BeginIndex(root, run));
        return run.Task;
    }

    /// <summary>Hands a finished index to the writer, which merges the changes made while it ran; completes once merged
    /// (or dropped, when a newer index of the folder has begun since).</summary>
    public Task FinishIndexAsync(string root, long run, Snapshot indexed)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _changes.Writer.TryWrite(new FinishIndex(root, run, indexed, done));
        return done.Task;
    }

    /// <summary>
    /// The first snapshot (current or to come) for which <paramref name="ready"/> holds; after the ready limit,
    /// the current one anyway: a late, partial answer beats none.
    /// </summary>
    public async Task<ServerSnapshot> WhenAsync(Func<ServerSnapshot, bool> ready, CancellationToken cancellation)
    {
        var limit = _readyLimit;
        var done = new TaskCompletionSource<ServerSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = new Waiter(ready, done);
        lock (_waiters)
        {
            var current = _current;
            if (ready(current)) return current;
            _waiters.Add(waiter);
        }
        try
        {
            return await done.Task.WaitAsync(limit, cancellation);
        }
        catch (TimeoutException)
        {
            return _current;
        }
        finally
        {
            lock (_waiters) _waiters.Remove(waiter);
        }
    }

    /// <summary>True when the snapshot holds the editor's latest text of <paramref name="path"/> (or it is not open).</summary>
    public Func<ServerSnapshot, bool> HasLatestTextOf(string path)
    {
        if (_documents.Get(path) is not { } open) return _ => true;
        long sequence = open.Sequence;
        return s => s.Documents.TryGetValue(path, out var applied) ? applied.Sequence >= sequence : !_documents.IsOpen(path);
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        await foreach (var change in _changes.Reader.ReadAllAsync(cancellation))
        {
            try
            {
                Apply(change);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.Error($"applying {change} failed: {e}");
                if (change is SetFolders set) set.Done.TrySetResult();
                if (change is SetSettings settings) settings.Done.TrySetResult();
                if (change is BeginIndex begin) begin.Run.TrySetException(e);
                if (change is FinishIndex finish) finish.Done.TrySetResult();
            }
        }
    }

    private void Apply(Change change)
    {
        switch (change)
        {
            case Refresh refresh:
                lock (_queued) _queued.Remove(refresh.Path);
                ApplyRefresh(refresh.Path);
                break;
            case SetFolders set:
                ApplyFolders(set.Roots);
                set.Done.TrySetResult();
                break;
            case SetSettings settings:
                Publish(_current with { Settings = settings.Settings }, null); // options of every finding may change
                settings.Done.TrySetResult();
                break;
            case BeginIndex begin:
                _runs[begin.Root] = new IndexRun(++_nextRun, new HashSet<string>(StringComparer.Ordinal));
                begin.Run.TrySetResult(_nextRun);
                break;
            case FinishIndex finish:
                ApplyIndex(finish);
                finish.Done.TrySetResult();
                break;
            case FinishReload reload:
                ApplyReload(reload);
                break;
        }
    }

    private void ApplyRefresh(string path)
    {
        var current = _current;
        if (current.Folders.IsEmpty) return; // before initialize: the first index reads it anyway
        int index = ServerSnapshot.IndexOfFolder(current.Folders, path);
        var folder = current.Folders[index];
        if (_runs.TryGetValue(folder.Root, out var run)) run.Touched.Add(path);
        var documents = current.Documents;
        FileChange result;
        if (_documents.Get(path) is { } open)
        {
            result = FileRefresh.FromEditor(folder.Snapshot, path, open.Text, open.LanguageId);
            documents = documents.SetItem(path, new DocumentText(open.Text, open.Version, open.Sequence));
        }
        else if (FileRefresh.IsLibraryOnDisk(folder.Snapshot, path))
        {
            // Reference managers rewrite whole libraries of 100,000s of papers: read it off the writer, so edits and
            // requests go on against the current library until the new one is ready.
            StartReload(path);
            if (documents.ContainsKey(path)) Publish(current with { Documents = documents.Remove(path) }, []);
            return;
        }
        else
        {
            result = FileRefresh.FromDisk(folder.Snapshot, path);
            documents = documents.Remove(path);
        }
        var dirty = result.Dirty;
        // Which keys notes cite changed: small libraries' unused-entry hints may have too.
        if (dirty is not null && !folder.Snapshot.Notes.SameCitationsAs(result.Snapshot.Notes))
            dirty = [.. dirty, .. result.Snapshot.Libraries.Files.Values.Where(f => f.Papers.Count <= current.Settings.UnusedEntriesUpTo).Select(f => f.Path)];
        Publish(current with
        {
            Folders = current.Folders.SetItem(index, folder with { Snapshot = result.Snapshot }),
            Documents = documents,
        }, dirty);
    }

    /// <summary>Re-reads a library file in the background; a burst of changes while it runs is read once more, after.</summary>
    private void StartReload(string path)
    {
        if (!_reloads.TryGetValue(path, out var reload)) _reloads[path] = reload = new LibraryReload();
        Interlocked.Increment(ref reload.Generation);
        if (!reload.Running) Launch(path, reload);
    }

    private void Launch(string path, LibraryReload reload)
    {
        reload.Running = true;
        var folder = _current.FolderOf(path)!.Snapshot;
        _ = Task.Run(async () =>
        {
            // A reference manager writes a big library over a while, each write a change event: the read waits until the
            // file stops changing, and the changes seen until then are this read's, not a reason to read again (before,
            // the first event's read saw half a file and the burst was read twice).
            await _untilQuiet(path);
            long generation = Volatile.Read(ref reload.Generation);
            LibrarySet reloaded;
            try
            {
                reloaded = _readLibrary(folder, path);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.Error($"reading {path} failed: {e.Message}");
                reloaded = folder.Libraries;
            }
            // Compared here, off the writer: a million keys take a while to look up.
            bool sameKeys = !ReferenceEquals(reloaded, folder.Libraries) && reloaded.SameKeysAs(folder.Libraries);
            _changes.Writer.TryWrite(new FinishReload(path, generation, folder.Libraries, reloaded, sameKeys));
        });
    }

    /// <summary>How long a library file must keep its size and time before a reload reads it.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(100);
    /// <summary>A file that never stops changing is read after this long anyway (and again when it changes after).</summary>
    private static readonly TimeSpan QuietAtMost = TimeSpan.FromSeconds(3);

    private static async Task WaitUntilQuietAsync(string path)
    {
        static (long Length, DateTime Time) Stamp(string path)
        {
            try
            {
                var file = new FileInfo(path);
                return file.Exists ? (file.Length, file.LastWriteTimeUtc) : (-1, default);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (-2, default); }
        }
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var last = Stamp(path); waited.Elapsed < QuietAtMost;)
        {
            await Task.Delay(QuietPeriod);
            var now = Stamp(path);
            if (now == last) return;
            last = now;
        }
    }

    /// <summary>
    /// Applies a library read in the background, unless the file changed again meanwhile (then it is read again and
    /// the current library keeps answering) or it was opened in the editor (whose text wins). The reloaded set was
    /// built against the library as it was; when another file changed since, the new file is put into the current set.
    /// </summary>
    private void ApplyReload(FinishReload finish)
    {
        if (!_reloads.TryGetValue(finish.Path, out var reload)) return;
        reload.Running = false;
        if (reload.Generation != finish.Generation)
        {
            Launch(finish.Path, reload);
            return;
        }
        _reloads.Remove(finish.Path);
        var current = _current;
        if (current.Folders.IsEmpty || _documents.IsOpen(finish.Path)) return;
        int index = ServerSnapshot.IndexOfFolder(current.Folders, finish.Path);
        var folder = current.Folders[index];
        var libraries = folder.Snapshot.Libraries;
        // A rewrite that changed only entries' fields (a reference manager's export after an edit) changes no note's
        // findings, which depend on the keys alone: only the library files' are found again (duplicate keys among them).
        bool onlyFields = ReferenceEquals(libraries, finish.Base) && finish.SameKeys;
        if (ReferenceEquals(libraries, finish.Base)) libraries = finish.Reloaded;
        else if (finish.Reloaded.Files.TryGetValue(finish.Path, out var file)) libraries = libraries.With(file);
        else libraries = libraries.Without(finish.Path);
        if (ReferenceEquals(libraries, folder.Snapshot.Libraries)) return;
        Publish(current with
        {
            Folders = current.Folders.SetItem(index, folder with { Snapshot = folder.Snapshot with { Libraries = libraries } }),
        }, onlyFields ? [.. libraries.Files.Keys] : null);
    }

    private void ApplyFolders(IReadOnlyList<string> roots)
    {
        var current = _current;
        var kept = current.Folders.Where(f => roots.Contains(f.Root)).ToList();
        foreach (var root in roots.Distinct())
            if (kept.All(f => f.Root != root))
                kept.Add(new FolderState(root, Snapshot.Create(root, WorkspaceConfig.Default, [], []), Indexed: false));
        foreach (var gone in current.Folders.Where(f => !roots.Contains(f.Root))) _runs.Remove(gone.Root);
        // In the client's order: a file outside every folder belongs to the first.
        var ordered = kept.OrderBy(f => IndexIn(roots, f.Root)).ToImmutableArray();
        Publish(current with { Folders = ordered }, null);
    }

    private static int IndexIn(IReadOnlyList<string> roots, string root)
    {
        for (int i = 0; i < roots.Count; i++) if (roots[i] == root) return i;
        return int.MaxValue;
    }

    /// <summary>
    /// Merges a background index: its snapshot is the disk as it was read; every file touched since the run
    /// began, and every open document, is then brought to its truth again — the open ones copied from the
    /// current snapshot (already parsed), the others re-read. Nothing is lost and nothing is applied twice,
    /// because a refresh sets a file to its truth rather than replaying an edit.
    /// </summary>
    private void ApplyIndex(FinishIndex finish)
    {
        if (!_runs.TryGetValue(finish.Root, out var run) || run.Id != finish.Run) return; // superseded or folder removed
        _runs.Remove(finish.Root);
        var current = _current;
        int index = current.Folders.IndexOf(current.Folders.FirstOrDefault(f => f.Root == finish.Root)!);
        if (index < 0) return;
        var folder = current.Folders[index];
        var merged = finish.Indexed;
        foreach (var path in current.Documents.Keys.Where(p => current.Owns(folder.Root, p)))
            merged = FileRefresh.Copy(folder.Snapshot, merged, path).Snapshot;
        foreach (var path in run.Touched.Where(p => !current.Documents.ContainsKey(p)))
        {
            // A library re-read since the index began is in the current snapshot already: copied, not read again. One
            // still being read is read here too (its background read lands on top later): the folder's first
            // findings must not miss a library that was written while it was indexed.
            merged = FileRefresh.IsLibraryOnDisk(folder.Snapshot, path) && !_reloads.ContainsKey(path)
                ? FileRefresh.Copy(folder.Snapshot, merged, path).Snapshot
                : FileRefresh.FromDisk(merged, path, Cache).Snapshot;
        }
        Publish(current with { Folders = current.Folders.SetItem(index, new FolderState(folder.Root, merged, Indexed: true)) }, null);
    }

    private void Publish(ServerSnapshot next, IReadOnlyCollection<string>? dirty)
    {
        var previous = _current;
        next = next with { Revision = previous.Revision + 1 };
        List<Waiter> ready;
        lock (_waiters)
        {
            _current = next;
            ready = _waiters.Where(w => w.Ready(next)).ToList();
        }
        foreach (var waiter in ready) waiter.Done.TrySetResult(next);
        Changed?.Invoke(previous, next, dirty);
    }
}
