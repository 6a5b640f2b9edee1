using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

public sealed class WorkspaceSymbolHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{

    [JsonRpcMethod("workspace/symbol", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.SymbolInformation>?> SymbolsAsync(P.WorkspaceSymbolParams request, CancellationToken cancellation) =>
        ReadWorkspace<IReadOnlyList<P.SymbolInformation>>("workspace/symbol", state =>
            state.Folders.SelectMany(folder => Symbols.Workspace(folder.Snapshot, request.Query ?? "")
                .Select(s => ToLsp.Location(folder.Snapshot, new FileLocation(s.Path, s.Span)) is { } location
                    ? new P.SymbolInformation(s.Name, DocumentSymbolHandler.Kind(s.Kind), location, s.Detail)
                    : null))
                .OfType<P.SymbolInformation>().ToList(), cancellation);
}

public sealed class DocumentSymbolHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{

    public static int Kind(SymbolKind kind) => kind switch
    {
        SymbolKind.Paper => 20,   // Key
        SymbolKind.Note => 1,     // File
        _ => 15,                  // String (a heading's text)
    };

    [JsonRpcMethod("textDocument/documentSymbol", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.DocumentSymbol>?> SymbolsAsync(P.DocumentSymbolParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.DocumentSymbol>>("documentSymbol", request.TextDocument.Uri, context =>
        {
            if (context is null) return [];
            return Symbols.Document(context).Select(s => Convert(context, s)).ToList();
        }, cancellation);

    private static P.DocumentSymbol Convert(FeatureContext context, SymbolEntry symbol)
    {
        var range = ToLsp.Range(context.Lines!, symbol.Span);
        return new P.DocumentSymbol(symbol.Name, symbol.Detail, Kind(symbol.Kind), range, range,
            symbol.Children.Count == 0 ? null : symbol.Children.Select(c => Convert(context, c)).ToList());
    }
}

public sealed class DocumentLinkHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{

    [JsonRpcMethod("textDocument/documentLink", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.DocumentLink>?> LinksAsync(P.DocumentLinkParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.DocumentLink>>("documentLink", request.TextDocument.Uri, context =>
        {
            if (context is null) return [];
            // A library's links need its text: an open document's, from this snapshot (clients ask only for open ones).
            return DocumentLinks.Find(context)
                .Select(l => new P.DocumentLink(ToLsp.Range(context.Lines!, l.Span), l.Target, l.Tooltip)).ToList();
        }, cancellation);
}
