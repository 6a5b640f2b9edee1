using System.Text.Json;

namespace PaperNotes.Server.Protocol;

public sealed record Hover(MarkupContent Contents, Range? Range);

public sealed record CompletionContext(int TriggerKind, string? TriggerCharacter);
public sealed record CompletionParams(TextDocumentIdentifier TextDocument, Position Position, CompletionContext? Context);
public sealed record CompletionItemLabelDetails(string? Detail, string? Description);
public sealed record CompletionItem
{
    public required string Label { get; init; }
    public CompletionItemLabelDetails? LabelDetails { get; init; }
    public int? Kind { get; init; }
    public string? Detail { get; init; }
    public MarkupContent? Documentation { get; init; }
    public string? SortText { get; init; }
    public string? FilterText { get; init; }
    public string? InsertText { get; init; }
    public TextEdit? TextEdit { get; init; }
    public JsonElement? Data { get; init; }
}
public sealed record CompletionList(bool IsIncomplete, IReadOnlyList<CompletionItem> Items);

public sealed record ReferenceContext(bool IncludeDeclaration);
public sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext? Context);

public sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName);
public sealed record PrepareRenameResult(Range Range, string Placeholder);
public sealed record WorkspaceEdit(IReadOnlyDictionary<string, IReadOnlyList<TextEdit>>? Changes, IReadOnlyList<object>? DocumentChanges = null);
public sealed record OptionalVersionedTextDocumentIdentifier(string Uri, int? Version);
public sealed record TextDocumentEdit(OptionalVersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextEdit> Edits);
public sealed record CreateFileOptions(bool? Overwrite, bool? IgnoreIfExists);
public sealed record CreateFile(string Uri, CreateFileOptions? Options)
{
    public string Kind => "create";
}

public sealed record Diagnostic
{
    public required Range Range { get; init; }
    public int Severity { get; init; }
    public string? Code { get; init; }
    public string Source { get; init; } = "papernotes";
    public required string Message { get; init; }
    public IReadOnlyList<DiagnosticRelatedInformation>? RelatedInformation { get; init; }
    /// <summary>1 = Unnecessary (faded), 2 = Deprecated.</summary>
    public IReadOnlyList<int>? Tags { get; init; }
    public DiagnosticData? Data { get; init; }
}
public sealed record DiagnosticRelatedInformation(Location Location, string Message);
public sealed record DiagnosticData(IReadOnlyList<string> Suggestions);
public sealed record PublishDiagnosticsParams(string Uri, int? Version, IReadOnlyList<Diagnostic> Diagnostics);

public sealed record CodeActionContext(IReadOnlyList<Diagnostic>? Diagnostics, IReadOnlyList<string>? Only);
public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext? Context);
public sealed record CodeAction(string Title, string? Kind, IReadOnlyList<Diagnostic>? Diagnostics, bool? IsPreferred, WorkspaceEdit? Edit, Command? Command = null);
public sealed record Command(string Title, [property: System.Text.Json.Serialization.JsonPropertyName("command")] string Name, IReadOnlyList<object>? Arguments);
public sealed record ExecuteCommandParams(string Command, IReadOnlyList<JsonElement>? Arguments);
public sealed record ShowDocumentParams(string Uri, bool? External, bool? TakeFocus);

public sealed record InlayHintParams(TextDocumentIdentifier TextDocument, Range Range);
public sealed record InlayHint
{
    public required Position Position { get; init; }
    public required string Label { get; init; }
    public MarkupContent? Tooltip { get; init; }
    public bool? PaddingLeft { get; init; }
    public JsonElement? Data { get; init; }
}

public sealed record CodeLensParams(TextDocumentIdentifier TextDocument);
public sealed record CodeLens(Range Range, Command? Command, JsonElement? Data);

public sealed record SemanticTokensParams(TextDocumentIdentifier TextDocument);
public sealed record SemanticTokensRangeParams(TextDocumentIdentifier TextDocument, Range Range);
public sealed record SemanticTokens(IReadOnlyList<int> Data);

public sealed record WorkspaceSymbolParams(string Query);
public sealed record SymbolInformation(string Name, int Kind, Location Location, string? ContainerName);
public sealed record DocumentSymbolParams(TextDocumentIdentifier TextDocument);
public sealed record DocumentSymbol(string Name, string? Detail, int Kind, Range Range, Range SelectionRange, IReadOnlyList<DocumentSymbol>? Children);

public sealed record DocumentLinkParams(TextDocumentIdentifier TextDocument);
public sealed record DocumentLink(Range Range, string? Target, string? Tooltip);
