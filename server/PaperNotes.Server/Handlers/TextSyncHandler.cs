using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>didOpen / didChange (incremental) / didClose / didSave: the editor's text wins over the disk.</summary>
public sealed class TextSyncHandler(LanguageServer server) : HandlerBase(server)
{
    public override bool MutatesState => true;

    // Notifications run in arrival order on StreamJsonRpc's reader, so edits apply in order.
    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(P.DidOpenTextDocumentParams request)
    {
        if (Server.State is not { } state || Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        var item = request.TextDocument;
        state.Documents.Open(new OpenDocument(item.Uri, path, item.LanguageId, item.Text, item.Version));
        Apply(state, path, item.Text, item.LanguageId);
    }

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(P.DidChangeTextDocumentParams request)
    {
        if (Server.State is not { } state || Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        if (state.Documents.Change(path, request.TextDocument.Version, request.ContentChanges) is { } document)
            Apply(state, path, document.Text, document.LanguageId);
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(P.DidCloseTextDocumentParams request)
    {
        if (Server.State is not { } state || Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        state.Documents.Close(path);
        Guarded(path, () => state.ReloadFromDisk(path)); // the disk is the truth again
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(P.DidSaveTextDocumentParams request)
    {
        // The open text already is what was saved; nothing to do.
    }

    private void Apply(ServerState state, string path, string text, string languageId) =>
        Guarded(path, () => state.SetDocument(path, text, forceNote: languageId == "markdown"));

    private void Guarded(string path, Action action)
    {
        try { action(); }
        catch (Exception e) { Server.Log.Error($"updating {path} failed: {e}"); }
    }
}
