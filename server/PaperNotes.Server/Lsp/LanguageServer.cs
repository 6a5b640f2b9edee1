using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Text.Json;
using PaperNotes.Server.Handlers;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Lsp;

/// <summary>The process's end: shutdown then exit gives 0, anything else 1.</summary>
public sealed class ServerLifetime
{
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _shutdownRequested;

    public Task<int> Exited => _exit.Task;
    public int Code => _shutdownRequested ? 0 : 1;
    public void RequestShutdown() => _shutdownRequested = true;
    public void Exit() => _exit.TrySetResult(Code);
}

/// <summary>
/// Wires the transport (framing guard → StreamJsonRpc), the state and its writer, the workspace host and the
/// diagnostics publisher, and gives each handler only what it needs. Holds no feature logic.
/// </summary>
public sealed class LanguageServer
{
    private readonly Stream _input;
    private readonly FrameWriter _output;
    private readonly PendingRequests _pending = new();
    private readonly Pipe _toRpc = new();
    private readonly Pipe _fromRpc = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ServerLifetime _lifetime = new();
    private readonly DocumentStore _documents = new();
    private readonly WorkspaceState _state;
    private readonly DiagnosticsPublisher _diagnostics;
    private readonly ClientConnection _client;
    private readonly WorkspaceHost _host;

    /// <summary>How long a library stays unchanged before its image goes to the library cache.</summary>
    public static readonly TimeSpan DefaultCacheWriteDelay = TimeSpan.FromSeconds(5);

    public JsonRpc Rpc { get; }
    public ServerLog Log { get; } = new();
    public Task<int> Exited => _lifetime.Exited;

    /// <summary>The current state, for tests that look behind the protocol.</summary>
    public ServerSnapshot Current => _state.Current;

    /// <param name="readyLimit">How long a request may wait for the first index or its document's text (default 10 s).</param>
    /// <param name="clientAnswerLimit">How long startup waits for the client's answer to a request of the server's
    /// (default <see cref="WorkspaceHost.DefaultClientAnswerLimit"/>).</param>
    /// <param name="cacheDirectory">Where big libraries' images are kept between runs (the warm start); null: no cache.</param>
    /// <param name="cacheWriteDelay">How long a library must stay unchanged before its image is written (default
    /// <see cref="DefaultCacheWriteDelay"/>; tests: zero).</param>
    public LanguageServer(Stream input, Stream output, TimeSpan? readyLimit = null, TimeSpan? clientAnswerLimit = null, string? cacheDirectory = null,
        TimeSpan? cacheWriteDelay = null)
    {
        _input = input;
        _output = new FrameWriter(output);
        var handler = new HeaderDelimitedMessageHandler(_fromRpc.Writer, _toRpc.Reader, CreateFormatter());
        Rpc = new LspJsonRpc(handler);
        Rpc.ExceptionStrategy = ExceptionProcessing.CommonErrorData;
        _client = new ClientConnection(Rpc);
        // The server writes an image in the background (the library is usable meanwhile), once the library has been quiet
        // a while: a reference manager exporting on every change would otherwise have each export written (1 GB at 1M).
        var delay = cacheWriteDelay ?? DefaultCacheWriteDelay;
        var cache = cacheDirectory is null ? null : new Workspace.LibraryCache(cacheDirectory,
            store => Task.Delay(delay, _stop.Token).ContinueWith(done => { if (!done.IsCanceled) store(); }, TaskScheduler.Default), Log.Info);
        _state = new WorkspaceState(_documents, Log, readyLimit ?? WorkspaceState.DefaultReadyLimit, cache: cache);
        _diagnostics = new DiagnosticsPublisher(_state, p => _client.NotifyAsync("textDocument/publishDiagnostics", p));
        _host = new WorkspaceHost(_state, _client, Log, _stop.Token, clientAnswerLimit ?? WorkspaceHost.DefaultClientAnswerLimit);
        AddHandlers();
        Log.Connect((type, message) => _client.NotifyAsync("window/logMessage", new P.LogMessageParams(type, message)));
    }

    /// <summary>
    /// StreamJsonRpc marks this formatter as needing reflection because it serializes user data with whatever
    /// <see cref="JsonSerializerOptions"/> it is given; ours resolve every type through the source-generated
    /// <see cref="P.LspJsonContext"/> only, which is the trim- and AOT-safe use StreamJsonRpc documents (docs/nativeAOT.md).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "User data is serialized through the source-generated LspJsonContext only.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "User data is serialized through the source-generated LspJsonContext only.")]
    private static SystemTextJsonFormatter CreateFormatter() => new() { JsonSerializerOptions = P.LspJson.Options };

    private void AddHandlers()
    {
        Add(new LifecycleHandler(_host, _client, Log, _lifetime));
        Add(new TextSyncHandler(_documents, _state));
        Add(new WorkspaceEventsHandler(_host));
        Add(new HoverHandler(_state, Log));
        Add(new CompletionHandler(_state, _client, Log));
        Add(new DefinitionHandler(_state, Log));
        Add(new ReferencesHandler(_state, Log));
        Add(new RenameHandler(_state, Log));
        Add(new CodeActionHandler(_state, _client, Log));
        Add(new WorkspaceSymbolHandler(_state, Log));
        Add(new DocumentSymbolHandler(_state, Log));
        Add(new DocumentLinkHandler(_state, Log));
        Add(new InlayHintHandler(_state, Log));
        Add(new CodeLensHandler(_state, Log));
        Add(new SemanticTokensHandler(_state, Log));
        Add(new CslItemsHandler(_state, Log));
        Add(new ExecuteCommandHandler(_client, Log));
    }

    /// <summary>
    /// A handler's <c>[JsonRpcMethod]</c> methods, described from its static type (trim-safe: the type's members are kept).
    /// <c>FromClass</c> needs dynamic code only to close <c>EventHandlerFactory&lt;T&gt;</c> over an event's argument type;
    /// handlers declare no events (<c>ProtocolJsonTests</c> checks it), so nothing is closed at run time.
    /// </summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Handlers declare no events, the only members for which FromClass closes generic types.")]
    private void Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(T handler) where T : class =>
        Rpc.AddLocalRpcTarget(RpcTargetMetadata.FromClass(typeof(T)), handler, new JsonRpcTargetOptions { DisposeOnDisconnect = false });

    /// <summary>Serves until the client sends exit or closes the stream; returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        var pumpIn = Task.Run(PumpInputAsync);
        var pumpOut = Task.Run(PumpOutputAsync);
        _ = _host.Guard("state writer", () => _state.RunAsync(_stop.Token));
        _ = _host.Guard("diagnostics", () => _diagnostics.RunAsync(_stop.Token));
        Rpc.StartListening();
        var finished = await Task.WhenAny(_lifetime.Exited, Rpc.Completion.ContinueWith(_ => _lifetime.Code, TaskScheduler.Default));
        int code = await finished;
        Log.Disconnect();
        _stop.Cancel();
        return code;
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
                var body = frame.Body;
                var error = body is null ? MessageValidator.Error(null, -32700, $"Parse error: {frame.Error}") : MessageValidator.Check(ref body, _pending);
                if (error is not null)
                {
                    if (error.Length > 0)
                    {
                        Log.Warn($"rejected a malformed message: {frame.Error ?? "invalid JSON-RPC"}");
                        await _output.WriteAsync(error, _stop.Token);
                    }
                    continue;
                }
                var header = System.Text.Encoding.ASCII.GetBytes($"Content-Length: {body!.Length}\r\n\r\n");
                await sink.WriteAsync(header, _stop.Token);
                await sink.WriteAsync(body, _stop.Token);
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
            {
                _pending.Sent(body); // before the client can see it, so its answer is expected
                await _output.WriteAsync(body, _stop.Token);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { _lifetime.Exit(); }
    }
}
