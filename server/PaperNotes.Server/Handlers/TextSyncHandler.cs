using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>didOpen / didChange (incremental) / didClose / didSave: the editor's text wins over the disk.</summary>
public sealed class TextSyncHandler(LanguageServer server) : HandlerBase(server)
{
    public override bool MutatesState => true;

    // Notifications run in arrival order on StreamJsonRpc's reader: the text is updated here, at once and in
    // order; parsing and the snapshot update happen on the document queue.
    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(P.DidOpenTextDocumentParams request)
    {
        if (Server.State is not { } state || Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        var item = request.TextDocument;
        state.Documents.Open(new OpenDocument(item.Uri, path, item.LanguageId, item.Text, item.Version));
        Server.Queue?.Enqueue(path);
    }

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(P.DidChangeTextDocumentParams request)
    {
        if (Server.State is not { } state || Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        if (state.Documents.Change(path, request.TextDocument.Version, request.ContentChanges) is not null)
            Server.Queue?.Enqueue(path);
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(P.DidCloseTextDocumentParams request)
    {
        if (Server.State is not { } state || Uris.ToPath(request.TextDocument.Uri) is not { } path) return;
        state.Documents.Close(path);
        Server.Queue?.Enqueue(path); // the disk is the truth again
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(P.DidSaveTextDocumentParams request)
    {
        // The open text already is what was saved; nothing to do.
    }
}
