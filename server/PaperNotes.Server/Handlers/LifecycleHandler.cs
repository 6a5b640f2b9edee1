using System.Text.Json;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>initialize, initialized, shutdown, exit: the workspace folders and the client's abilities; the rest is the host's.</summary>
public sealed class LifecycleHandler(WorkspaceHost host, ClientConnection client, ServerLog log, ServerLifetime lifetime)
{
    private int _initialized, _started;

    /// <summary>The protocol allows one <c>initialize</c>: a second one is an error and changes nothing (before, it
    /// re-rooted the workspace and replaced the client's capabilities under running requests).</summary>
    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public P.InitializeResult Initialize(P.InitializeParams request)
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 1)
            throw new LocalRpcException("initialize may be sent only once") { ErrorCode = -32600 };
        var roots = (request.WorkspaceFolders ?? []).Select(f => Uris.ToPath(f.Uri)).OfType<string>().Distinct().ToList();
        if (roots.Count == 0)
            roots.Add(Uris.ToPath(request.RootUri) ?? (request.RootPath is { } rootPath ? PaperNotes.Core.Workspace.PathUtil.Normalize(rootPath) : null)
                ?? PaperNotes.Core.Workspace.PathUtil.Normalize(Directory.GetCurrentDirectory()));
        client.Initialize(ClientCapabilities.From(request.Capabilities));
        host.Initialize(roots);
        log.Info($"workspace folders: {string.Join(", ", roots)}");
        var version = typeof(LifecycleHandler).Assembly.GetName().Version?.ToString(3);
        return new P.InitializeResult(new P.ServerCapabilities(), new P.ServerInfo("papernotes", version));
    }

    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public void Initialized(JsonElement? request)
    {
        // Once: a repeated notification must not index the workspace and register its watchers again.
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = host.Guard("startup", host.StartAsync);
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        lifetime.RequestShutdown();
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit() => lifetime.Exit();
}
