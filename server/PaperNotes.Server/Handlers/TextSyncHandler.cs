using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>didOpen / didChange (incremental) / didClose / didSave: the editor's text wins over the disk.</summary>
public sealed class TextSyncHandler(DocumentStore documents, WorkspaceState state)
{
    // Notifications run in arrival order on StreamJsonRpc's reader: the text is updated here, at once and in
    // order; parsing and the snapshot update happen on the state's writer.
    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(P.DidOpenTextDocumentParams request)
    {
        if (Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        var item = request.TextDocument;
        documents.Open(new OpenDocument(item.Uri, path, item.LanguageId, item.Text ?? "", item.Version));
        state.FileChanged(path);
    }

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(P.DidChangeTextDocumentParams request)
    {
        if (Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        if (documents.Change(path, request.TextDocument.Version, request.ContentChanges ?? []) is not null)
            state.FileChanged(path);
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(P.DidCloseTextDocumentParams request)
    {
        if (Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        documents.Close(path);
        state.FileChanged(path); // the disk is the truth again
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(P.DidSaveTextDocumentParams request)
    {
        // The open text already is what was saved; nothing to do.
    }
}
