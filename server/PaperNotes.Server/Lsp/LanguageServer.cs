using System.IO.Pipelines;
using System.Text.Json;
using PaperNotes.Server.Handlers;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// Wires the transport (framing guard → StreamJsonRpc), the state, the indexer and the diagnostics publisher,
/// and registers one handler object per LSP method group. Holds no feature logic.
/// </summary>
public sealed class LanguageServer
{
    private readonly Stream _input;
    private readonly FrameWriter _output;
    private readonly Pipe _toRpc = new();
    private readonly Pipe _fromRpc = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JsonRpc Rpc { get; }
    public ServerLog Log { get; } = new();
    public ServerState? State { get; private set; }
    public DocumentQueue? Queue { get; private set; }
    public ClientCapabilities Client { get; private set; } = ClientCapabilities.None;
    public bool ShutdownRequested { get; set; }
    public Task<int> Exited => _exit.Task;
    public CancellationToken Stopping => _stop.Token;

    public LanguageServer(Stream input, Stream output)
    {
        _input = input;
        _output = new FrameWriter(output);
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = P.LspJson.Options };
        var handler = new HeaderDelimitedMessageHandler(_fromRpc.Writer, _toRpc.Reader, formatter);
        Rpc = new JsonRpc(handler);
        Rpc.ExceptionStrategy = ExceptionProcessing.CommonErrorData;
        foreach (var target in Handlers()) Rpc.AddLocalRpcTarget(target, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
        Log.ToClient = (type, message) => Rpc.NotifyWithParameterObjectAsync("window/logMessage", new P.LogMessageParams(type, message));
    }

    private IEnumerable<object> Handlers() =>
    [
        new LifecycleHandler(this), new TextSyncHandler(this), new WorkspaceEventsHandler(this),
        new HoverHandler(this), new CompletionHandler(this), new DefinitionHandler(this), new ReferencesHandler(this),
        new RenameHandler(this), new CodeActionHandler(this), new WorkspaceSymbolHandler(this),
        new DocumentSymbolHandler(this), new DocumentLinkHandler(this),
    ];

    /// <summary>Serves until the client sends exit or closes the stream; returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        var pumpIn = Task.Run(PumpInputAsync);
        var pumpOut = Task.Run(PumpOutputAsync);
        Rpc.StartListening();
        var finished = await Task.WhenAny(_exit.Task, Rpc.Completion.ContinueWith(_ => ShutdownRequested ? 0 : 1, TaskScheduler.Default));
        int code = await finished;
        _stop.Cancel();
        return code;
    }

    public void Exit() => _exit.TrySetResult(ShutdownRequested ? 0 : 1);

    /// <summary>Starts the state once the root is known (initialize).</summary>
    public ServerState Start(string root, ClientCapabilities client)
    {
        Client = client;
        var state = new ServerState(root);
        var queue = new DocumentQueue(state, Log);
        State = state;
        Queue = queue;
        _ = Guard("document queue", () => queue.RunAsync(_stop.Token));
        var publisher = new DiagnosticsPublisher(state, queue.VersionOf,
            p => Rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", p));
        state.Changed += publisher.MarkDirty;
        state.Changed += _ => ReportLibraryStatus(state);
        _ = Guard("diagnostics", () => publisher.RunAsync(_stop.Token));
        return state;
    }

    private DiskWatcher? _diskWatcher;

    /// <summary>The server's own file watching, for clients that do not watch files for us.</summary>
    public void WatchDisk(ServerState state)
    {
        _diskWatcher?.Dispose();
        try
        {
            _diskWatcher = new DiskWatcher(state.Root, path =>
            {
                if (path == PaperNotes.Core.Workspace.PathUtil.Combine(state.Root, PaperNotes.Core.Workspace.WorkspaceConfig.FileName))
                    _ = Guard("re-index", () => PaperNotes.Server.Handlers.WorkspaceEventsHandler.IndexAsync(this));
                else
                    Queue?.Enqueue(path);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // E.g. the inotify watch limit: everything else still works, only disk changes go unseen.
            Log.Warn($"cannot watch the workspace folder ({e.Message}); changes made outside the editor are not seen");
            return;
        }
        _stop.Token.Register(() => _diskWatcher?.Dispose());
        Log.Info("the client does not watch files: watching the workspace folder directly");
    }

    /// <summary>Runs background work; logs instead of crashing when it fails.</summary>
    public async Task Guard(string what, Func<Task> work)
    {
        try { await work(); }
        catch (OperationCanceledException) { }
        catch (Exception e) { Log.Error($"{what} failed: {e}"); }
    }

    /// <summary>stdin → framing guard → StreamJsonRpc. Bad frames are answered here so the connection survives.</summary>
    private async Task PumpInputAsync()
    {
        var reader = new FrameReader(_input);
        var sink = _toRpc.Writer;
        try
        {
            while (true)
            {
                var frame = await reader.ReadAsync(_stop.Token);
                if (frame is null) break;
                var error = frame.Body is null ? MessageValidator.Error(null, -32700, $"Parse error: {frame.Error}") : MessageValidator.Check(frame.Body);
                if (error is not null)
                {
                    if (error.Length > 0)
                    {
                        Log.Warn($"rejected a malformed message: {frame.Error ?? "invalid JSON-RPC"}");
                        await _output.WriteAsync(error, _stop.Token);
                    }
                    continue;
                }
                var header = System.Text.Encoding.ASCII.GetBytes($"Content-Length: {frame.Body!.Length}\r\n\r\n");
                await sink.WriteAsync(header, _stop.Token);
                await sink.WriteAsync(frame.Body, _stop.Token);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        await sink.CompleteAsync();
    }

    /// <summary>StreamJsonRpc → whole frames → stdout, sharing the writer with the guard's error replies.</summary>
    private async Task PumpOutputAsync()
    {
        var reader = new FrameReader(_fromRpc.Reader.AsStream());
        try
        {
            while (await reader.ReadAsync(_stop.Token) is { Body: { } body })
                await _output.WriteAsync(body, _stop.Token);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { _exit.TrySetResult(ShutdownRequested ? 0 : 1); }
    }

    private (int Papers, int Notes) _lastStatus = (-1, -1);
    private readonly object _statusLock = new();

    /// <summary>Tells the client (status bar) the library size whenever it changes after the first index.</summary>
    public void ReportLibraryStatus(ServerState state, bool force = false)
    {
        if (state.Indexing && !force) return;
        var snapshot = state.Snapshot;
        var status = (snapshot.Libraries.Papers.Count, snapshot.Notes.Notes.Count);
        lock (_statusLock)
        {
            if (status == _lastStatus && !force) return;
            _lastStatus = status;
        }
        _ = NotifyAsync("paperNotes/libraryStatus", new P.LibraryStatusParams(status.Item1, status.Item2, state.Indexing));
    }

    public Task NotifyAsync(string method, object parameters) =>
        Rpc.IsDisposed ? Task.CompletedTask : Rpc.NotifyWithParameterObjectAsync(method, parameters);
}

/// <summary>The client abilities the server adapts to, read once from initialize.</summary>
public sealed record ClientCapabilities(bool WorkDoneProgress, bool DynamicWatchers, bool Configuration, bool CreateFiles)
{
    public static readonly ClientCapabilities None = new(false, false, false, false);

    public static ClientCapabilities From(JsonElement? capabilities)
    {
        bool Has(params string[] path)
        {
            if (capabilities is not { ValueKind: JsonValueKind.Object } node) return false;
            foreach (var name in path)
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out var next)) return false;
                node = next;
            }
            return node.ValueKind == JsonValueKind.True || (node.ValueKind == JsonValueKind.Array && node.EnumerateArray().Any(e => e.GetString() == "create"));
        }
        return new ClientCapabilities(
            Has("window", "workDoneProgress"),
            Has("workspace", "didChangeWatchedFiles", "dynamicRegistration"),
            Has("workspace", "configuration"),
            Has("workspace", "workspaceEdit", "resourceOperations"));
    }
}
