using System.Text.Json;
using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>Completion after <c>@</c> and <c>[[</c>; the abstract comes lazily through completionItem/resolve.</summary>
public sealed class CompletionHandler(WorkspaceState state, ClientConnection client, ServerLog log) : HandlerBase(state, log)
{

    private const int KindReference = 18, KindFile = 17;

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public Task<P.CompletionList?> CompletionAsync(P.CompletionParams request, CancellationToken cancellation) =>
        Read("completion", request.TextDocument.Uri, document =>
        {
            if (At(document, request.Position) is not var (context, offset) || context.Text is not { } text) return null;
            if (Completion.Find(context, text, offset) is not { } result) return null;
            var range = ToLsp.Range(context.Lines!, result.Replace);
            // Clients without labelDetails (Neovim's and Eglot's built-in menus) show label and detail only:
            // the title goes into the detail there, after the authors and year.
            bool labelDetails = client.Capabilities.CompletionLabelDetails;
            var replaced = text.Substring(result.Replace.Start, result.Replace.Length);
            var items = result.Items.Select(item => new P.CompletionItem
            {
                Label = item.Label,
                LabelDetails = item.Description is null || !labelDetails ? null : new P.CompletionItemLabelDetails(null, item.Description),
                Kind = item.Kind == CompletionKind.Paper ? KindReference : KindFile,
                Detail = labelDetails || item.Description is null ? item.Detail
                    : string.Join(" · ", new[] { item.Detail, item.Description }.Where(s => !string.IsNullOrEmpty(s))),
                SortText = item.SortText,
                FilterText = item.FilterText,
                TextEdit = LetTheEditorReplace(replaced, item.InsertText) ? null : new P.TextEdit(range, item.InsertText),
                InsertText = LetTheEditorReplace(replaced, item.InsertText) ? item.InsertText : null,
                Data = item.Key is null ? null : DataFor(context.Path, item.Key),
            }).ToList();
            return new P.CompletionList(result.IsIncomplete, items);
        }, cancellation);

    [JsonRpcMethod("completionItem/resolve", UseSingleObjectParameterDeserialization = true)]
    public Task<P.CompletionItem> ResolveAsync(P.CompletionItem item, CancellationToken cancellation) =>
        ReadWorkspace("completionItem/resolve", state =>
        {
            if (DataOf(item.Data) is not { } resolve || state.FolderOf(resolve.Path)?.Snapshot is not { } snapshot) return item;
            var paper = snapshot.ResolveKey(snapshot.Notes.Find(resolve.Path), resolve.Key);
            return paper is null ? item : item with { Documentation = P.MarkupContent.Markdown(PaperMarkdown.Full(paper)) };
        }, cancellation)!;

    /// <summary>
    /// Older clients that know no insert/replace ranges (Eglot 1.9) mangle a text edit whose new text is shorter
    /// than the word it replaces (`@Hierarchical and` → `@hicmae2024 d`: they delete the difference after the
    /// cursor). For a plain word they replace the word at the cursor themselves, so send only the text there.
    /// </summary>
    private bool LetTheEditorReplace(string replaced, string newText) =>
        !client.Capabilities.CompletionInsertReplace && newText.Length < replaced.Length
        && replaced.All(c => char.IsLetterOrDigit(c) || c == '_');
}
