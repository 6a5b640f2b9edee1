using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using StreamJsonRpc;

namespace PaperNotes.Server.Lsp;

/// <summary>What the server may say to the client, and what it knows the client can do (read once from initialize).</summary>
public sealed class ClientConnection(JsonRpc rpc)
{
    public ClientCapabilities Capabilities { get; private set; } = ClientCapabilities.None;

    internal void Initialize(ClientCapabilities capabilities) => Capabilities = capabilities;

    // StreamJsonRpc flags parameter objects as "may be reflected over"; with SystemTextJsonFormatter the object is
    // written whole by JsonSerializer through LspJsonContext (source-generated), which knows every parameter type.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Serialized whole through the source-generated LspJsonContext.")]
    public Task NotifyAsync(string method, object parameters) =>
        rpc.IsDisposed ? Task.CompletedTask : rpc.NotifyWithParameterObjectAsync(method, parameters);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Serialized whole through the source-generated LspJsonContext.")]
    public Task<T> RequestAsync<T>(string method, object parameters, CancellationToken cancellation = default) =>
        rpc.InvokeWithParameterObjectAsync<T>(method, parameters, cancellation);

    /// <summary>A request without params (the refresh requests).</summary>
    public Task RequestAsync(string method, CancellationToken cancellation = default) =>
        rpc.InvokeWithCancellationAsync(method, [], cancellation);
}

/// <summary>The client abilities the server adapts to, read once from initialize.</summary>
public sealed record ClientCapabilities(bool WorkDoneProgress, bool DynamicWatchers, bool Configuration, bool CreateFiles, bool CompletionLabelDetails, bool CompletionInsertReplace,
    bool ShowDocument, bool InlayHintRefresh, bool CodeLensRefresh, bool SemanticTokensRefresh)
{
    public static readonly ClientCapabilities None = new(false, false, false, false, false, false, false, false, false, false);

    public static ClientCapabilities From(JsonElement? capabilities)
    {
        bool Has(params string[] path)
        {
            if (capabilities is not { ValueKind: JsonValueKind.Object } node) return false;
            foreach (var name in path)
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out var next)) return false;
                node = next;
            }
            return node.ValueKind == JsonValueKind.True || (node.ValueKind == JsonValueKind.Array && node.EnumerateArray().Any(e => e.GetString() == "create"));
        }
        return new ClientCapabilities(
            Has("window", "workDoneProgress"),
            Has("workspace", "didChangeWatchedFiles", "dynamicRegistration"),
            Has("workspace", "configuration"),
            Has("workspace", "workspaceEdit", "resourceOperations"),
            Has("textDocument", "completion", "completionItem", "labelDetailsSupport"),
            Has("textDocument", "completion", "completionItem", "insertReplaceSupport"),
            Has("window", "showDocument", "support"),
            Has("workspace", "inlayHint", "refreshSupport"),
            Has("workspace", "codeLens", "refreshSupport"),
            Has("workspace", "semanticTokens", "refreshSupport"));
    }
}
