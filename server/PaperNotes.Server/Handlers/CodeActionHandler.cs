using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

public sealed class CodeActionHandler(WorkspaceState state, ClientConnection client, ServerLog log) : HandlerBase(state, log)
{

    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.CodeAction>?> CodeActionAsync(P.CodeActionParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.CodeAction>>("codeAction", request.TextDocument.Uri, context =>
        {
            if (context?.Lines is null || FromLsp.Span(context.Lines, request.Range) is not { } span) return [];
            var related = request.Context?.Diagnostics?.Where(d => d.Code == "unknown-citation").ToList();
            // Creating a paper note needs a client that applies file creations, opening one that shows documents
            // for the server (window/showDocument); offer each only there.
            return CodeActions.Find(context, span)
                .Where(action => (action.CreatePath is null || client.Capabilities.CreateFiles) && (action.OpenUri is null || client.Capabilities.ShowDocument))
                .Select(action => action.OpenUri is { } uri
                    ? new P.CodeAction(action.Title, null, null, null, null, new P.Command(action.Title, P.Commands.Open, [uri]))
                    : new P.CodeAction(action.Title, "quickfix", action.Edits.Count > 0 ? related : null, action.IsPreferred ? true : null, Edit(context, action)))
                .ToList();
        }, cancellation);

    private static P.WorkspaceEdit Edit(FeatureContext context, CodeAction action)
    {
        if (action.CreatePath is null) return ToLsp.WorkspaceEdit(context.Snapshot, action.Edits);
        // Create the file, then fill it: documentChanges keeps the order.
        var uri = Uris.FromPath(action.CreatePath);
        var origin = new P.Position(0, 0);
        return new P.WorkspaceEdit(null,
        [
            new P.CreateFile(uri, new P.CreateFileOptions(null, true)),
            new P.TextDocumentEdit(new P.OptionalVersionedTextDocumentIdentifier(uri, null), [new P.TextEdit(new P.Range(origin, origin), action.CreateText ?? "")]),
        ]);
    }
}
