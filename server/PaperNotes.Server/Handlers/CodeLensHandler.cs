using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>
/// "cited in N notes" lenses on library entries and paper notes. The list is cheap (ranges and keys); each lens
/// is resolved on its own into a <c>paperNotes.showReferences</c> command carrying plain data — uri, position,
/// locations — that the VS Code extension turns into <c>editor.action.showReferences</c>.
/// </summary>
public sealed class CodeLensHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{
    [JsonRpcMethod("textDocument/codeLens", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<P.CodeLens>?> CodeLensesAsync(P.CodeLensParams request, CancellationToken cancellation) =>
        Read<IReadOnlyList<P.CodeLens>>("codeLens", request.TextDocument.Uri, context =>
        {
            if (context?.Lines is not { } lines) return [];
            return CodeLenses.Find(context).Select(lens => new P.CodeLens(ToLsp.Range(lines, lens.Span), null,
                DataFor(context.Path, lens.Key))).ToList();
        }, cancellation);

    [JsonRpcMethod("codeLens/resolve", UseSingleObjectParameterDeserialization = true)]
    public Task<P.CodeLens> ResolveAsync(P.CodeLens lens, CancellationToken cancellation) =>
        ReadWorkspace("codeLens/resolve", state =>
        {
            if (DataOf(lens.Data) is not { } resolve) return lens;
            if (state.FolderOf(resolve.Path)?.Snapshot is not { } snapshot) return lens;
            var cited = CodeLenses.Resolve(snapshot, resolve.Key);
            var places = cited.Places.Select(p => ToLsp.Location(snapshot, p)).OfType<P.Location>().ToList();
            return lens with { Command = new P.Command(cited.Title, P.Commands.ShowReferences, [Uris.FromPath(resolve.Path), lens.Range.Start, places]) };
        }, cancellation)!;
}
