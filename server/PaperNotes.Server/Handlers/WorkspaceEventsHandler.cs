using System.Text.Json;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>Watched-file changes and settings (<c>paperNotes.library</c>, <c>paperNotes.notes</c>); (re)indexing.</summary>
public sealed class WorkspaceEventsHandler(LanguageServer server) : HandlerBase(server)
{
    public override bool MutatesState => true;

    [JsonRpcMethod("workspace/didChangeWatchedFiles", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeWatchedFiles(P.DidChangeWatchedFilesParams request)
    {
        if (Server.State is not { } state) return;
        foreach (var change in request.Changes)
        {
            if (Uris.ToPath(change.Uri) is not { } path) continue;
            if (path == PathUtil.Combine(state.Root, WorkspaceConfig.FileName))
            {
                _ = Server.Guard("re-index", () => IndexAsync(Server));
                return;
            }
            Server.Queue?.Enqueue(path);
        }
    }

    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeConfiguration(P.DidChangeConfigurationParams request)
    {
        _ = Server.Guard("settings", async () =>
        {
            var before = Server.State?.SettingsOverride;
            if (request.Settings is { ValueKind: JsonValueKind.Object } settings && settings.TryGetProperty("paperNotes", out var section))
                Apply(Server, section);
            else
                await ReadSettingsAsync(Server);
            if (!SameGlobs(before, Server.State?.SettingsOverride)) await IndexAsync(Server);
        });
    }

    public static async Task ReadSettingsAsync(LanguageServer server)
    {
        if (!server.Client.Configuration) return;
        var result = await server.Rpc.InvokeWithParameterObjectAsync<JsonElement[]>("workspace/configuration",
            new P.ConfigurationParams([new P.ConfigurationItem(null, "paperNotes")]));
        if (result is { Length: > 0 }) Apply(server, result[0]);
    }

    private static void Apply(LanguageServer server, JsonElement section)
    {
        if (server.State is not { } state || section.ValueKind != JsonValueKind.Object) return;
        IReadOnlyList<string> Read(string name) =>
            section.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(s => s.Length > 0).ToList()
                : [];
        state.SettingsOverride = new WorkspaceConfig(Read("library"), Read("notes"));
    }

    private static bool SameGlobs(WorkspaceConfig? a, WorkspaceConfig? b) =>
        (a?.LibraryGlobs ?? []).SequenceEqual(b?.LibraryGlobs ?? []) && (a?.NoteGlobs ?? []).SequenceEqual(b?.NoteGlobs ?? []);

    /// <summary>Indexes the workspace with progress and then tells the client how big the library is.</summary>
    public static async Task IndexAsync(LanguageServer server)
    {
        if (server.State is not { } state) return;
        string? token = null;
        if (server.Client.WorkDoneProgress)
        {
            token = "papernotes-index-" + Guid.NewGuid().ToString("N");
            try
            {
                await server.Rpc.InvokeWithParameterObjectAsync<JsonElement?>("window/workDoneProgress/create", new P.WorkDoneProgressCreateParams(token));
                await server.NotifyAsync("$/progress", new P.ProgressParams(token, new P.WorkDoneProgressBegin("Paper Notes", "Indexing workspace")));
            }
            catch (RemoteInvocationException) { token = null; }
        }
        await server.NotifyAsync("paperNotes/libraryStatus", new P.LibraryStatusParams(state.Snapshot.Libraries.Papers.Count, state.Snapshot.Notes.Notes.Count, true));
        var indexer = new WorkspaceIndexer(state, server.Log);
        await indexer.RunAsync(async message =>
        {
            if (token is not null) await server.NotifyAsync("$/progress", new P.ProgressParams(token, new P.WorkDoneProgressReport(message)));
        }, server.Stopping);
        var snapshot = state.Snapshot;
        var summary = $"{snapshot.Libraries.Papers.Count:N0} papers, {snapshot.Notes.Notes.Count:N0} notes";
        if (token is not null) await server.NotifyAsync("$/progress", new P.ProgressParams(token, new P.WorkDoneProgressEnd(summary)));
        server.ReportLibraryStatus(state, force: true);
        await indexer.WarmUpAsync(server.Stopping);
    }
}
