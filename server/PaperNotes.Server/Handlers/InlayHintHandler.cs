using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>Inlay hints after citations for the requested range; the tooltip (the hover text) comes through inlayHint/resolve.</summary>
public sealed class InlayHintHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{
    [JsonRpcMethod("textDocument/inlayHint", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.InlayHint>?> InlayHintsAsync(P.InlayHintParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.InlayHint>>("inlayHint", request.TextDocument.Uri, context =>
        {
            if (context?.Lines is not { } lines || FromLsp.Span(lines, request.Range) is not { } range) return [];
            return InlayHints.Find(context, range).Select(hint => new P.InlayHint
            {
                Position = ToLsp.Position(lines.GetPosition(hint.Offset)),
                Label = hint.Label,
                PaddingLeft = true,
                Data = DataFor(context.Path, hint.Key),
            }).ToList();
        }, cancellation);

    [JsonRpcMethod("inlayHint/resolve", UseSingleObjectParameterDeserialization = true)]
    public Task<P.InlayHint> ResolveAsync(P.InlayHint hint, CancellationToken cancellation) =>
        ReadWorkspace("inlayHint/resolve", state =>
        {
            if (DataOf(hint.Data) is not { } resolve) return hint;
            if (state.Context(resolve.Path) is not { } context || context.Snapshot.ResolveKey(context.Note, resolve.Key) is not { } paper) return hint;
            return hint with { Tooltip = P.MarkupContent.Markdown(Hover.ForPaper(context, paper)) };
        }, cancellation)!;
}
