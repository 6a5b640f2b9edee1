using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

public sealed class ReferencesHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{

    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.Location>?> ReferencesAsync(P.ReferenceParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.Location>>("references", request.TextDocument.Uri, document =>
        {
            if (At(document, request.Position) is not var (context, offset)) return [];
            return References.Find(context, offset, request.Context?.IncludeDeclaration ?? false)
                .Select(l => ToLsp.Location(context.Snapshot, l)).OfType<P.Location>().ToList();
        }, cancellation);
}
