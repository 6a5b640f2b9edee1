using System.Text.Json;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>initialize, initialized, shutdown, exit: the workspace folders and the client's abilities; the rest is the host's.</summary>
public sealed class LifecycleHandler(WorkspaceHost host, ClientConnection client, ServerLog log, ServerLifetime lifetime)
{
    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public P.InitializeResult Initialize(P.InitializeParams request)
    {
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
    public void Initialized(JsonElement? request) => _ = host.Guard("startup", host.StartAsync);

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        lifetime.RequestShutdown();
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit() => lifetime.Exit();
}
