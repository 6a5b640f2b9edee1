using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperNotes.Server.Protocol;

/// <summary>
/// Source-generated System.Text.Json metadata for every type the server puts on or reads off the wire, so the
/// server needs no reflection to serialize (NativeAOT and trimming). <see cref="LspJson.Options"/> resolves only
/// through this context: a type missing here fails in every build, not only in the published one
/// (<c>ProtocolJsonTests</c> checks each type of this namespace is listed).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
// Requests and notifications from the client.
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(TextDocumentPositionParams))]
[JsonSerializable(typeof(DidOpenTextDocumentParams))]
[JsonSerializable(typeof(DidChangeTextDocumentParams))]
[JsonSerializable(typeof(DidCloseTextDocumentParams))]
[JsonSerializable(typeof(DidSaveTextDocumentParams))]
[JsonSerializable(typeof(DidChangeWatchedFilesParams))]
[JsonSerializable(typeof(DidChangeConfigurationParams))]
[JsonSerializable(typeof(DidChangeWorkspaceFoldersParams))]
[JsonSerializable(typeof(CompletionParams))]
[JsonSerializable(typeof(ReferenceParams))]
[JsonSerializable(typeof(RenameParams))]
[JsonSerializable(typeof(CodeActionParams))]
[JsonSerializable(typeof(WorkspaceSymbolParams))]
[JsonSerializable(typeof(DocumentSymbolParams))]
[JsonSerializable(typeof(DocumentLinkParams))]
[JsonSerializable(typeof(InlayHintParams))]
[JsonSerializable(typeof(InlayHint))]
[JsonSerializable(typeof(CodeLensParams))]
[JsonSerializable(typeof(CodeLens))]
[JsonSerializable(typeof(SemanticTokensParams))]
[JsonSerializable(typeof(SemanticTokensRangeParams))]
[JsonSerializable(typeof(ExecuteCommandParams))]
[JsonSerializable(typeof(CslItemsParams))]
// Results.
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(Hover))]
[JsonSerializable(typeof(CompletionList))]
[JsonSerializable(typeof(CompletionItem))]
[JsonSerializable(typeof(IReadOnlyList<Location>))]
[JsonSerializable(typeof(PrepareRenameResult))]
[JsonSerializable(typeof(WorkspaceEdit))]
[JsonSerializable(typeof(IReadOnlyList<CodeAction>))]
[JsonSerializable(typeof(IReadOnlyList<SymbolInformation>))]
[JsonSerializable(typeof(IReadOnlyList<DocumentSymbol>))]
[JsonSerializable(typeof(IReadOnlyList<DocumentLink>))]
[JsonSerializable(typeof(IReadOnlyList<InlayHint>))]
[JsonSerializable(typeof(IReadOnlyList<CodeLens>))]
[JsonSerializable(typeof(SemanticTokens))]
[JsonSerializable(typeof(CslItemsResult))]
// Command arguments are typed object: their runtime types.
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Position))]
[JsonSerializable(typeof(List<Location>))]
// What the server sends the client (and the runtime types behind its `object` members).
[JsonSerializable(typeof(PublishDiagnosticsParams))]
[JsonSerializable(typeof(LogMessageParams))]
[JsonSerializable(typeof(ShowMessageParams))]
[JsonSerializable(typeof(ConfigurationParams))]
[JsonSerializable(typeof(RegistrationParams))]
[JsonSerializable(typeof(DidChangeWatchedFilesRegistrationOptions))]
[JsonSerializable(typeof(WorkDoneProgressCreateParams))]
[JsonSerializable(typeof(ProgressParams))]
[JsonSerializable(typeof(WorkDoneProgressBegin))]
[JsonSerializable(typeof(WorkDoneProgressReport))]
[JsonSerializable(typeof(WorkDoneProgressEnd))]
[JsonSerializable(typeof(LibraryStatusParams))]
[JsonSerializable(typeof(ShowDocumentParams))]
[JsonSerializable(typeof(TextDocumentEdit))]
[JsonSerializable(typeof(CreateFile))]
// Untyped JSON, and StreamJsonRpc's own types: the error data of a failed request, the id of $/cancelRequest.
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(JsonElement[]))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(StreamJsonRpc.Protocol.CommonErrorData))]
[JsonSerializable(typeof(StreamJsonRpc.RequestId))]
// The server's own data carried in completion items.
[JsonSerializable(typeof(Handlers.HandlerBase.ResolveData))]
internal sealed partial class LspJsonContext : JsonSerializerContext;
