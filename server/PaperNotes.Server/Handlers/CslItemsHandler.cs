using System.Text.Json;
using PaperNotes.Core.Features;
using PaperNotes.Core.Library.Csl;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>
/// <c>paperNotes/cslItems { uri }</c>: the CSL-JSON items of the keys a note cites, and the keys nothing defines,
/// for the VS Code Markdown preview, which formats citations with citeproc-js in the extension. Reads the disk not at
/// all: library entries are read again from the text each library file of the request's snapshot keeps.
/// </summary>
public sealed class CslItemsHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{
    [JsonRpcMethod("paperNotes/cslItems", UseSingleObjectParameterDeserialization = true)]
    public Task<P.CslItemsResult?> CslItemsAsync(P.CslItemsParams request, CancellationToken cancellation) =>
        Read("paperNotes/cslItems", request.Uri, context =>
        {
            if (context is null || CitedItems.Find(context) is not { } cited)
                return new P.CslItemsResult(EmptyArray, []);
            // CslJson writes items as pandoc does (the same JSON `papernotes` and pandoc agree on); the wire carries it as is.
            using var json = JsonDocument.Parse(CslJson.Write(cited.Items));
            return new P.CslItemsResult(json.RootElement.Clone(), cited.Unknown);
        }, cancellation);

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();
}
