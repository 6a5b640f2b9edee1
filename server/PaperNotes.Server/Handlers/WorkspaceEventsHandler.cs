using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>Watched-file changes, settings and workspace folders: handed to the <see cref="WorkspaceHost"/>.</summary>
public sealed class WorkspaceEventsHandler(WorkspaceHost host)
{
    [JsonRpcMethod("workspace/didChangeWatchedFiles", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeWatchedFiles(P.DidChangeWatchedFilesParams request) =>
        host.FilesChanged((request.Changes ?? []).Select(c => Uris.ToPath(c.Uri)).OfType<string>().ToList());

    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeConfiguration(P.DidChangeConfigurationParams request) =>
        _ = host.Guard("settings", () => host.SettingsChangedAsync(request.Settings));

    [JsonRpcMethod("workspace/didChangeWorkspaceFolders", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeWorkspaceFolders(P.DidChangeWorkspaceFoldersParams request)
    {
        IReadOnlyList<string> Paths(IReadOnlyList<P.WorkspaceFolder>? folders) =>
            (folders ?? []).Select(f => Uris.ToPath(f.Uri)).OfType<string>().ToList();
        var added = Paths(request.Event?.Added);
        var removed = Paths(request.Event?.Removed);
        _ = host.Guard("workspace folders", () => host.FoldersChangedAsync(added, removed));
    }
}
