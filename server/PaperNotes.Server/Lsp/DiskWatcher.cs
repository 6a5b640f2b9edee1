using PaperNotes.Core.Workspace;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// Watches the workspace folder itself when the client cannot (no dynamic registration of
/// workspace/didChangeWatchedFiles): disk changes still reach hovers and diagnostics. Events are
/// coalesced for a moment, since editors save through temp files and renames.
/// </summary>
public sealed class DiskWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Action<string> _changed;
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Timer _timer;
    private readonly string _root;

    public DiskWatcher(string root, Action<string> changed)
    {
        _root = PathUtil.Normalize(root);
        _changed = changed;
        _timer = new Timer(_ => Flush());
        _watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
        };
        _watcher.Changed += (_, e) => Queue(e.FullPath);
        _watcher.Created += (_, e) => Queue(e.FullPath);
        _watcher.Deleted += (_, e) => Queue(e.FullPath);
        _watcher.Renamed += (_, e) => { Queue(e.OldFullPath); Queue(e.FullPath); };
        _watcher.EnableRaisingEvents = true;
    }

    private void Queue(string fullPath)
    {
        var path = PathUtil.Normalize(fullPath);
        if (WorkspaceConfig.IsInSkippedFolder(PathUtil.Relative(_root, path))) return;
        lock (_pending) _pending.Add(path);
        _timer.Change(100, Timeout.Infinite);
    }

    private void Flush()
    {
        string[] paths;
        lock (_pending)
        {
            paths = [.. _pending];
            _pending.Clear();
        }
        foreach (var path in paths) _changed(path);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }
}
