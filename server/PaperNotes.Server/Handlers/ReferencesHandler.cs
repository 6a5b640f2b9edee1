using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

public sealed class ReferencesHandler(LanguageServer server) : HandlerBase(server)
{
    public override bool MutatesState => false;

    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.Location>?> ReferencesAsync(P.ReferenceParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.Location>>("references", request.TextDocument.Uri, document =>
        {
            if (At(document, request.Position) is not var (context, offset)) return [];
            return References.Find(context, offset, request.Context?.IncludeDeclaration ?? false)
                .Select(l => ToLsp.Location(context.Snapshot, l)).OfType<P.Location>().ToList();
        }, cancellation);
}
