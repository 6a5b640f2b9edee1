using System.Text.Json;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>initialize, initialized, shutdown, exit; starts indexing, file watching and settings.</summary>
public sealed class LifecycleHandler(LanguageServer server) : HandlerBase(server)
{
    public override bool MutatesState => true;

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public P.InitializeResult Initialize(P.InitializeParams request)
    {
        var root = Uris.ToPath(request.WorkspaceFolders?.FirstOrDefault()?.Uri) ?? Uris.ToPath(request.RootUri) ?? request.RootPath ?? Directory.GetCurrentDirectory();
        Server.Start(root, ClientCapabilities.From(request.Capabilities));
        Server.Log.Info($"workspace root: {root}");
        var version = typeof(LifecycleHandler).Assembly.GetName().Version?.ToString(3);
        return new P.InitializeResult(new P.ServerCapabilities(), new P.ServerInfo("papernotes", version));
    }

    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public void Initialized(JsonElement? request)
    {
        _ = Server.Guard("startup", StartAsync);
    }

    private async Task StartAsync()
    {
        // Watchers and settings are nice to have; a client that fails either must still get an indexed workspace.
        await Server.Guard("file watcher registration", RegisterWatchersAsync);
        await Server.Guard("reading settings", () => WorkspaceEventsHandler.ReadSettingsAsync(Server));
        await WorkspaceEventsHandler.IndexAsync(Server);
    }

    private async Task RegisterWatchersAsync()
    {
        if (Server.Client.DynamicWatchers)
        {
            var watchers = new[] { "**/*.{md,markdown}", "**/*.{bib,bibtex}", "**/*.{json,yaml,yml}" }
                .Select(g => new P.FileSystemWatcher(g, null)).ToList();
            await Server.Rpc.InvokeWithParameterObjectAsync<JsonElement?>("client/registerCapability", new P.RegistrationParams(
                [new P.Registration("papernotes-watchers", "workspace/didChangeWatchedFiles", new P.DidChangeWatchedFilesRegistrationOptions(watchers))]));
        }
        else if (Server.State is { } state && Directory.Exists(state.Root))
        {
            Server.WatchDisk(state);
        }
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        Server.ShutdownRequested = true;
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit() => Server.Exit();
}
