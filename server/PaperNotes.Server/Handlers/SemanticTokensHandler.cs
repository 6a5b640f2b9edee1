using PaperNotes.Core.Features;
using PaperNotes.Core.Text;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>Semantic tokens (full and range), encoded as LSP's relative five-integer groups over <see cref="P.TokenLegend"/>.</summary>
public sealed class SemanticTokensHandler(WorkspaceState state, ServerLog log) : HandlerBase(state, log)
{
    [JsonRpcMethod("textDocument/semanticTokens/full", UseSingleObjectParameterDeserialization = true)]
    public Task<P.SemanticTokens?> FullAsync(P.SemanticTokensParams request, CancellationToken cancellation) =>
        Read("semanticTokens/full", request.TextDocument.Uri, context =>
            context?.Lines is { } lines ? Encode(lines, SemanticTokens.Find(context)) : new P.SemanticTokens([]), cancellation);

    [JsonRpcMethod("textDocument/semanticTokens/range", UseSingleObjectParameterDeserialization = true)]
    public Task<P.SemanticTokens?> RangeAsync(P.SemanticTokensRangeParams request, CancellationToken cancellation) =>
        Read("semanticTokens/range", request.TextDocument.Uri, context =>
        {
            if (context?.Lines is not { } lines || FromLsp.Span(lines, request.Range) is not { } range) return new P.SemanticTokens([]);
            return Encode(lines, SemanticTokens.Find(context, range));
        }, cancellation);

    internal static P.SemanticTokens Encode(LineIndex lines, IReadOnlyList<TokenResult> tokens)
    {
        var data = new List<int>(tokens.Count * 5);
        int previousLine = 0, previousCharacter = 0;
        foreach (var token in tokens)
        {
            var start = lines.GetPosition(token.Span.Start);
            var end = lines.GetPosition(token.Span.End);
            if (end.Line != start.Line || token.Span.Length == 0) continue; // tokens never span lines
            int deltaLine = start.Line - previousLine;
            data.Add(deltaLine);
            data.Add(deltaLine == 0 ? start.Character - previousCharacter : start.Character);
            data.Add(token.Span.Length);
            var (type, modifiers) = token.Kind switch
            {
                TokenKind.Citation => (P.TokenLegend.Variable, token.Resolved ? P.TokenLegend.Readonly : P.TokenLegend.Deprecated),
                TokenKind.WikiLink => (P.TokenLegend.Namespace, token.Resolved ? 0 : P.TokenLegend.Deprecated),
                _ => (P.TokenLegend.Variable, P.TokenLegend.Declaration | P.TokenLegend.Readonly),
            };
            data.Add(type);
            data.Add(modifiers);
            (previousLine, previousCharacter) = (start.Line, start.Character);
        }
        return new P.SemanticTokens(data);
    }
}
