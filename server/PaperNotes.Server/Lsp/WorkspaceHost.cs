using System.Text.Json;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.State;
using PaperNotes.Server.Workspace;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// Orchestration in one place: the workspace folders, (re)indexing them in the background with progress,
/// the editor's settings, file watching for clients that cannot, the status bar, and warming the search index.
/// It only ever changes state through <see cref="WorkspaceState"/>'s writer.
/// </summary>
public sealed class WorkspaceHost
{
    private readonly WorkspaceState _state;
    private readonly ClientConnection _client;
    private readonly ServerLog _log;
    private readonly CancellationToken _stopping;
    private readonly object _lock = new();
    private readonly Dictionary<string, CancellationTokenSource> _indexing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DiskWatcher> _watchers = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _roots = [];
    private volatile bool _watchDisk;
    private (int Papers, int Notes) _lastStatus = (-1, -1);
    private string? _settingsWarning;
    private long _settingsAsked, _settingsApplied; // tickets, so that an older read never overwrites newer settings
    private readonly HashSet<string> _watchedGlobs = new(StringComparer.Ordinal);
    private int _registrations;

    /// <summary>How long startup waits for the client to answer a request of the server's before going on without it.</summary>
    public static readonly TimeSpan DefaultClientAnswerLimit = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _clientAnswerLimit;

    public WorkspaceHost(WorkspaceState state, ClientConnection client, ServerLog log, CancellationToken stopping, TimeSpan clientAnswerLimit)
    {
        _clientAnswerLimit = clientAnswerLimit;
        _state = state;
        _client = client;
        _log = log;
        _stopping = stopping;
        _state.Changed += (previous, next, dirty) =>
        {
            // Also after any change that may resolve keys differently (a library, the settings, an index), even when the
            // counts stay: the VS Code Markdown preview refetches its CSL items on it.
            ReportStatus(next, force: dirty is null || LibrariesChanged(previous, next));
            RefreshViews(previous, next, dirty);
            WarmUpChangedLibraries(previous, next);
        };
    }

    /// <summary>initialize: the folders are known; indexing waits for <see cref="StartAsync"/> (after settings are read).</summary>
    public void Initialize(IReadOnlyList<string> roots)
    {
        lock (_lock) _roots = roots;
        _ = _state.SetFoldersAsync(roots); // queued before any didOpen, so every document finds its folder
    }

    /// <summary>initialized: watchers, settings, then the first index. Watchers and settings are nice to have; a client
    /// failing either still gets an indexed workspace.</summary>
    public async Task StartAsync()
    {
        // A client that never answers must not keep the workspace from being indexed.
        await Guard("file watcher registration", () => Bounded("client/registerCapability", RegisterWatchersAsync()));
        await Guard("reading settings", () => Bounded("workspace/configuration", ReadSettingsAsync(NextSettingsTicket())));
        await IndexAsync(Roots());
    }

    private IReadOnlyList<string> Roots() { lock (_lock) return _roots; }

    /// <summary>Files changed on disk (watchers): a folder's <c>.papernotes.yaml</c> re-indexes it; others are refreshed.</summary>
    public void FilesChanged(IEnumerable<string> paths)
    {
        var reindex = new List<string>();
        foreach (var path in paths)
        {
            var root = Roots().FirstOrDefault(r => path == PathUtil.Combine(r, WorkspaceConfig.FileName));
            if (root is not null) reindex.Add(root);
            else _state.FileChanged(path);
        }
        if (reindex.Count > 0) _ = Guard("re-index", () => IndexAsync(reindex.Distinct().ToList()));
    }

    /// <summary>workspace/didChangeWorkspaceFolders.</summary>
    public async Task FoldersChangedAsync(IReadOnlyList<string> added, IReadOnlyList<string> removed)
    {
        IReadOnlyList<string> roots;
        lock (_lock)
        {
            roots = _roots = _roots.Where(r => !removed.Contains(r)).Concat(added.Where(a => !_roots.Contains(a))).Distinct().ToList();
            foreach (var root in removed)
            {
                if (_indexing.Remove(root, out var run)) run.Cancel();
                if (_watchers.Remove(root, out var watcher)) watcher.Dispose();
            }
        }
        await _state.SetFoldersAsync(roots);
        if (_watchDisk) foreach (var root in added) WatchDisk(root);
        // A nested folder takes files from its parent: re-index every folder that holds a new one.
        var affected = roots.Where(r => added.Contains(r) || added.Any(a => PathUtil.IsUnder(r, a)) || removed.Any(x => PathUtil.IsUnder(r, x))).ToList();
        await IndexAsync(affected);
    }

    /// <summary>workspace/didChangeConfiguration: the settings go through the writer; re-index when the globs changed.</summary>
    public async Task SettingsChangedAsync(JsonElement? settings)
    {
        var before = _state.Current.Settings;
        long ticket = NextSettingsTicket();
        if (settings is { ValueKind: JsonValueKind.Object } all && all.TryGetProperty("paperNotes", out var section))
            await ApplySettingsAsync(section, ticket);
        else await ReadSettingsAsync(ticket);
        if (!before.SameGlobs(_state.Current.Settings)) await IndexAsync(Roots());
    }

    private long NextSettingsTicket() => Interlocked.Increment(ref _settingsAsked);

    private async Task ReadSettingsAsync(long ticket)
    {
        if (!_client.Capabilities.Configuration) return;
        var result = await _client.RequestAsync<JsonElement[]>("workspace/configuration",
            new P.ConfigurationParams([new P.ConfigurationItem(null, "paperNotes")]), _stopping);
        if (result is { Length: > 0 }) await ApplySettingsAsync(result[0], ticket);
    }

    /// <summary>Invalid values are replaced (<see cref="EditorSettings.Read"/>) and reported in one warning: shown when
    /// the problems change (not again on every later settings change that leaves them as they are), always logged.
    /// Settings apply in the order they were asked for: the answer to a slow <c>workspace/configuration</c> that
    /// arrives after newer settings were pushed is dropped.</summary>
    private async Task ApplySettingsAsync(JsonElement section, long ticket)
    {
        var (settings, problems) = EditorSettings.Read(section);
        Task applied;
        lock (_lock)
        {
            if (ticket < _settingsApplied)
            {
                _log.Info("settings read before newer ones arrived: dropped");
                return;
            }
            _settingsApplied = ticket;
            applied = _state.SetSettingsAsync(settings); // queued under the lock: the writer sees them in ticket order
        }
        var message = problems.Count == 0 ? null
            : $"Paper Notes: {(problems.Count == 1 ? "a setting is" : $"{problems.Count} settings are")} invalid. " + string.Join(" ", problems);
        bool show;
        lock (_lock)
        {
            show = message is not null && message != _settingsWarning;
            _settingsWarning = message;
        }
        if (message is not null) _log.Warn(message);
        if (show) _ = Guard("settings warning", () => _client.NotifyAsync("window/showMessage", new P.ShowMessageParams(2, message!)));
        await applied;
    }

    /// <summary>Indexes folders in the background with one progress for all; a newer index of a folder supersedes an older one.</summary>
    public async Task IndexAsync(IReadOnlyList<string> roots)
    {
        if (roots.Count == 0) return;
        var progress = await BeginProgressAsync();
        try
        {
            await Task.WhenAll(roots.Select(root => IndexFolderAsync(root, progress)));
        }
        finally
        {
            var snapshot = _state.Current;
            await EndProgressAsync(progress, $"{snapshot.PaperCount:N0} papers, {snapshot.NoteCount:N0} notes");
        }
        ReportStatus(_state.Current, force: true);
        await Guard("file watcher registration", WatchConfiguredGlobsAsync);
        // Build the search index now, in the background, rather than on the first keystroke.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Run(async () => { foreach (var folder in _state.Current.Folders) await WarmUpSearchAsync(folder.Snapshot.Libraries); }, _stopping);
        _log.Info($"search index ready in {watch.ElapsedMilliseconds} ms");
    }

    private async Task IndexFolderAsync(string root, string? progress)
    {
        CancellationTokenSource run;
        lock (_lock)
        {
            if (_indexing.Remove(root, out var previous)) previous.Cancel();
            _indexing[root] = run = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long id = await _state.BeginIndexAsync(root);
        var cancellation = run.Token;
        var indexed = await Task.Run(async () =>
        {
            var scan = DiskLoader.Scan(root, _state.Current.Settings.Globs);
            if (scan.ConfigError is not null) _log.Warn(scan.ConfigError);
            // Files of a folder nested in this one belong to that folder.
            var owner = _state.Current;
            scan = scan with
            {
                LibraryPaths = scan.LibraryPaths.Where(p => owner.Owns(scan.Root, p)).ToList(),
                NotePaths = scan.NotePaths.Where(p => owner.Owns(scan.Root, p)).ToList(),
            };
            await ReportProgressAsync(progress, $"Reading {scan.LibraryPaths.Count:N0} library files and {scan.NotePaths.Count:N0} notes");
            cancellation.ThrowIfCancellationRequested();
            var cache = _state.Cache;
            var loaded = DiskLoader.Load(scan, cache);
            // A completion that comes before the warm-up (right after the first hover) reads the index's image too,
            // rather than building the index itself.
            if (cache is not null) loaded.Libraries.SearchFrom(() => cache.TryLoadSearch(loaded.Libraries).Index);
            return loaded;
        }, cancellation);
        cancellation.ThrowIfCancellationRequested();
        await _state.FinishIndexAsync(root, id, indexed);
        lock (_lock) if (_indexing.GetValueOrDefault(root) == run) _indexing.Remove(root);
        _log.Info($"indexed {root}: {indexed.Libraries.Papers.Count:N0} papers, {indexed.Notes.Notes.Count:N0} notes in {watch.ElapsedMilliseconds} ms");
    }

    private async Task<string?> BeginProgressAsync()
    {
        await _client.NotifyAsync("paperNotes/libraryStatus", new P.LibraryStatusParams(_state.Current.PaperCount, _state.Current.NoteCount, true));
        if (!_client.Capabilities.WorkDoneProgress) return null;
        var token = "papernotes-index-" + Guid.NewGuid().ToString("N");
        try
        {
            if (!await Bounded("window/workDoneProgress/create", _client.RequestAsync<JsonElement?>("window/workDoneProgress/create", new P.WorkDoneProgressCreateParams(token), _stopping)))
                return null;
            await _client.NotifyAsync("$/progress", new P.ProgressParams(token, new P.WorkDoneProgressBegin("Paper Notes", "Indexing workspace")));
            return token;
        }
        catch (RemoteRpcException) { return null; } // any failed answer (an error, "method not found"...): index without progress
    }

    private Task ReportProgressAsync(string? token, string message) =>
        token is null ? Task.CompletedTask : _client.NotifyAsync("$/progress", new P.ProgressParams(token, new P.WorkDoneProgressReport(message)));

    private Task EndProgressAsync(string? token, string message) =>
        token is null ? Task.CompletedTask : _client.NotifyAsync("$/progress", new P.ProgressParams(token, new P.WorkDoneProgressEnd(message)));

    /// <summary>Tells the client (status bar, preview) the library size whenever it changes once the workspace is indexed,
    /// and with <paramref name="force"/> whatever it is.</summary>
    private void ReportStatus(ServerSnapshot snapshot, bool force)
    {
        if (!snapshot.Indexed) return;
        var status = (snapshot.PaperCount, snapshot.NoteCount);
        lock (_lock)
        {
            if (status == _lastStatus && !force) return;
            _lastStatus = status;
        }
        _ = _client.NotifyAsync("paperNotes/libraryStatus", new P.LibraryStatusParams(status.Item1, status.Item2, false));
    }

    /// <summary>
    /// Asks the client to re-request what a change made stale: inlay hints and semantic tokens when any key may now
    /// resolve differently (a library, the settings, an index), code lenses when which keys notes cite changed.
    /// </summary>
    private void RefreshViews(ServerSnapshot previous, ServerSnapshot next, IReadOnlyCollection<string>? dirty)
    {
        if (!next.Indexed) return;
        var capabilities = _client.Capabilities;
        // A library set changed: what its entries say (titles inline) may be stale even when no finding changed (a rewrite
        // that kept its keys marks only library files dirty).
        bool everything = dirty is null || LibrariesChanged(previous, next);
        bool citations = everything || previous.Folders.Length != next.Folders.Length
            || previous.Folders.Zip(next.Folders).Any(p => !p.First.Snapshot.Notes.SameCitationsAs(p.Second.Snapshot.Notes));
        if (everything && capabilities.InlayHintRefresh) Refresh("workspace/inlayHint/refresh");
        if (everything && capabilities.SemanticTokensRefresh) Refresh("workspace/semanticTokens/refresh");
        if (citations && capabilities.CodeLensRefresh) Refresh("workspace/codeLens/refresh");
    }

    /// <summary>Some folder's library set is another one (sets are immutable: the same one is the same libraries).</summary>
    private static bool LibrariesChanged(ServerSnapshot previous, ServerSnapshot next) =>
        previous.Folders.Length != next.Folders.Length
        || previous.Folders.Zip(next.Folders).Any(p => !ReferenceEquals(p.First.Snapshot.Libraries, p.Second.Snapshot.Libraries));

    /// <summary>A library changed after the first index (a reload, an edit): decode it and build its search index in the
    /// background now; until then, a large one answers completion from the index it replaced.</summary>
    private void WarmUpChangedLibraries(ServerSnapshot previous, ServerSnapshot next)
    {
        foreach (var folder in next.Folders)
        {
            if (!folder.Indexed || folder.Snapshot.Libraries.SearchReady) continue;
            var before = previous.Folders.FirstOrDefault(f => f.Root == folder.Root);
            if (before is null || !before.Indexed || ReferenceEquals(before.Snapshot.Libraries, folder.Snapshot.Libraries)) continue;
            var libraries = folder.Snapshot.Libraries;
            _ = Task.Run(() =>
            {
                // A burst of changes: only the set still current is worth building.
                if (ReferenceEquals(_state.Current.Folders.FirstOrDefault(f => f.Root == folder.Root)?.Snapshot.Libraries, libraries))
                    return WarmUpSearchAsync(libraries);
                return Task.CompletedTask;
            }, _stopping);
        }
    }

    /// <summary>Gives a library set its search index: read back from the library cache when it holds this very content's
    /// (a warm start: search answers at once, decoding only what it shows), else built, and then its image written.</summary>
    /// <remarks>The build is the set's one build (<see cref="LibrarySet.BuildSearchInBackground"/>), shared with a search
    /// that started it: no thread waits on a build another runs.</remarks>
    private async Task WarmUpSearchAsync(LibrarySet libraries)
    {
        if (libraries.SearchReady) return;
        var cache = _state.Cache;
        if (cache is not null) libraries.SearchFrom(() => cache.TryLoadSearch(libraries).Index);
        await libraries.BuildSearchInBackground();
        if (cache is not null && !libraries.SearchFromImage) await cache.StoreSearchAsync(libraries);
    }

    private void Refresh(string method) =>
        _ = Guard(method, () => _client.RequestAsync(method, _stopping));

    /// <summary>The extensions the first registration watches: every file a default glob or a library parser takes.</summary>
    private static readonly string[] WatchedExtensions = ["md", "markdown", "bib", "bibtex", "json", "yaml", "yml"];

    /// <summary>The client watches files for the server (VS Code does): the server registers what to watch, and is the
    /// only one to (the VS Code extension watches nothing itself).</summary>
    private async Task RegisterWatchersAsync()
    {
        if (_client.Capabilities.DynamicWatchers)
        {
            await RegisterWatchersAsync(["**/*.{md,markdown}", "**/*.{bib,bibtex}", "**/*.{json,yaml,yml}"]);
            return;
        }
        _watchDisk = true;
        foreach (var root in Roots()) WatchDisk(root);
    }

    /// <summary>After an index: globs of the settings or a <c>.papernotes.yaml</c> that take other files (notes as
    /// <c>*.qmd</c>, say) get watchers too, as <c>**/NAME</c> (the last segment; the server filters by the whole glob).
    /// Registrations only grow: a watcher no glob needs any more costs the client little and changes nothing.</summary>
    private async Task WatchConfiguredGlobsAsync()
    {
        if (!_client.Capabilities.DynamicWatchers) return;
        var wanted = _state.Current.Folders
            .SelectMany(f => f.Snapshot.Config.LibraryGlobs.Concat(f.Snapshot.Config.NoteGlobs))
            .Select(g => g.Replace('\\', '/').TrimEnd('/'))
            .Select(g => g[(g.LastIndexOf('/') + 1)..])
            .Where(name => name.Length > 0 && !WatchedExtensions.Any(e => name.EndsWith("." + e, StringComparison.OrdinalIgnoreCase)))
            .Select(name => "**/" + name)
            .Distinct(StringComparer.Ordinal);
        List<string> added;
        lock (_lock) added = wanted.Where(_watchedGlobs.Add).ToList();
        if (added.Count > 0) await RegisterWatchersAsync(added);
    }

    private async Task RegisterWatchersAsync(IReadOnlyList<string> globs)
    {
        var id = $"papernotes-watchers-{Interlocked.Increment(ref _registrations)}";
        var watchers = globs.Select(g => new P.FileSystemWatcher(g, null)).ToList();
        await _client.RequestAsync<JsonElement?>("client/registerCapability", new P.RegistrationParams(
            [new P.Registration(id, "workspace/didChangeWatchedFiles", new P.DidChangeWatchedFilesRegistrationOptions(watchers))]), _stopping);
    }

    /// <summary>The server's own file watching, for clients that do not watch files for us.</summary>
    private void WatchDisk(string root)
    {
        if (!Directory.Exists(root)) return;
        DiskWatcher watcher;
        try
        {
            watcher = new DiskWatcher(root, path => FilesChanged([path]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // E.g. the inotify watch limit: everything else still works, only disk changes go unseen.
            _log.Warn($"cannot watch {root} ({e.Message}); changes made outside the editor are not seen");
            return;
        }
        lock (_lock)
        {
            if (_watchers.Remove(root, out var old)) old.Dispose();
            _watchers[root] = watcher;
        }
        _stopping.Register(watcher.Dispose);
        _log.Info($"the client does not watch files: watching {root} directly");
    }

    /// <summary>Runs background work; logs instead of crashing when it fails.</summary>
    /// <summary>Waits for <paramref name="request"/> at most the client answer limit; past it, says so and goes on (the
    /// request may still complete later).</summary>
    private async Task<bool> Bounded(string method, Task request)
    {
        try
        {
            await request.WaitAsync(_clientAnswerLimit, _stopping);
            return true;
        }
        catch (TimeoutException)
        {
            _log.Warn($"the client has not answered {method} in {_clientAnswerLimit.TotalSeconds:0.#} s: going on without it");
            return false;
        }
    }

    public async Task Guard(string what, Func<Task> work)
    {
        try { await work(); }
        catch (OperationCanceledException) { }
        catch (Exception e) { _log.Error($"{what} failed: {e}"); }
    }
}
