using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>prepareRename and rename of citation keys; an invalid new key is refused with a clear error.</summary>
public sealed class RenameHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{

    [JsonRpcMethod("textDocument/prepareRename", UseSingleObjectParameterDeserialization = true)]
    public Task<P.PrepareRenameResult?> PrepareAsync(P.TextDocumentPositionParams request, CancellationToken cancellation) =>
        Read("prepareRename", request.TextDocument.Uri, document =>
        {
            if (At(document, request.Position) is not var (context, offset)) return null;
            return Rename.Prepare(context, offset) is { } range
                ? new P.PrepareRenameResult(ToLsp.Range(context.Lines!, range.Span), range.Placeholder)
                : null;
        }, cancellation);

    [JsonRpcMethod("textDocument/rename", UseSingleObjectParameterDeserialization = true)]
    public Task<P.WorkspaceEdit?> RenameAsync(P.RenameParams request, CancellationToken cancellation) =>
        Read("rename", request.TextDocument.Uri, document =>
        {
            if (At(document, request.Position) is not var (context, offset)) return null;
            var result = Rename.Apply(context, offset, request.NewName);
            // A refusal is an error response, which editors show to the user as the reason.
            if (result.Error is not null) throw new LocalRpcException(result.Error) { ErrorCode = -32803 };
            return ToLsp.WorkspaceEdit(context.Snapshot, result.Edits);
        }, cancellation);
}
