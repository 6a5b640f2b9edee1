using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

public sealed class HoverHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public Task<P.Hover?> HoverAsync(P.TextDocumentPositionParams request, CancellationToken cancellation) =>
        Read("hover", request.TextDocument.Uri, document =>
        {
            if (At(document, request.Position) is not var (context, offset)) return null;
            if (PaperNotes.Core.Features.Hover.Find(context, offset) is not { } hover) return null;
            return new P.Hover(P.MarkupContent.Markdown(hover.Markdown), ToLsp.Range(context.Lines!, hover.Span));
        }, cancellation);
}
