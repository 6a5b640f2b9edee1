using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

public sealed class DefinitionHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{

    [JsonRpcMethod("textDocument/definition", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.Location>?> DefinitionAsync(P.TextDocumentPositionParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.Location>>("definition", request.TextDocument.Uri, document =>
        {
            if (At(document, request.Position) is not var (context, offset)) return [];
            return Definition.Find(context, offset).Select(l => ToLsp.Location(context.Snapshot, l)).OfType<P.Location>().ToList();
        }, cancellation);
}
