using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperNotes.Server.Protocol;

// Hand-written LSP 3.17 records for the messages PaperNotes uses: the only JSON types of the server.
// Serialized camelCase; null members are omitted, as the specification expects of optional properties.

public sealed record Position(int Line, int Character);
public sealed record Range(Position Start, Position End);
public sealed record Location(string Uri, Range Range);
public sealed record TextDocumentIdentifier(string Uri);
public sealed record VersionedTextDocumentIdentifier(string Uri, int? Version);
public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);
public sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);
public sealed record TextEdit(Range Range, string NewText);
public sealed record MarkupContent(string Kind, string Value)
{
    public static MarkupContent Markdown(string value) => new("markdown", value);
}

public sealed record InitializeParams(
    int? ProcessId, string? RootUri, string? RootPath, IReadOnlyList<WorkspaceFolder>? WorkspaceFolders,
    JsonElement? Capabilities, JsonElement? InitializationOptions);
public sealed record WorkspaceFolder(string Uri, string Name);
public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);
public sealed record ServerInfo(string Name, string? Version);

public sealed record ServerCapabilities
{
    public string PositionEncoding { get; init; } = "utf-16";
    public TextDocumentSyncOptions TextDocumentSync { get; init; } = new();
    public bool HoverProvider { get; init; } = true;
    public CompletionOptions CompletionProvider { get; init; } = new();
    public bool DefinitionProvider { get; init; } = true;
    public bool ReferencesProvider { get; init; } = true;
    public RenameOptions RenameProvider { get; init; } = new();
    public CodeActionOptions CodeActionProvider { get; init; } = new();
    public bool WorkspaceSymbolProvider { get; init; } = true;
    public bool DocumentSymbolProvider { get; init; } = true;
    public DocumentLinkOptions DocumentLinkProvider { get; init; } = new();
    public WorkspaceServerCapabilities Workspace { get; init; } = new();
}
public sealed record WorkspaceServerCapabilities { public WorkspaceFoldersServerCapabilities WorkspaceFolders { get; init; } = new(); }
public sealed record WorkspaceFoldersServerCapabilities
{
    public bool Supported { get; init; } = true;
    public bool ChangeNotifications { get; init; } = true;
}
public sealed record TextDocumentSyncOptions
{
    public bool OpenClose { get; init; } = true;
    /// <summary>2 = incremental.</summary>
    public int Change { get; init; } = 2;
    public SaveOptions Save { get; init; } = new();
}
public sealed record SaveOptions { public bool IncludeText { get; init; } }
public sealed record CompletionOptions
{
    public IReadOnlyList<string> TriggerCharacters { get; init; } = ["@", "["];
    public bool ResolveProvider { get; init; } = true;
}
public sealed record RenameOptions { public bool PrepareProvider { get; init; } = true; }
public sealed record CodeActionOptions { public IReadOnlyList<string> CodeActionKinds { get; init; } = ["quickfix"]; }
public sealed record DocumentLinkOptions { public bool ResolveProvider { get; init; } }

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);
public sealed record TextDocumentContentChangeEvent(Range? Range, string Text);
public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);
public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);
public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text);

public sealed record FileEvent(string Uri, int Type);
public sealed record DidChangeWatchedFilesParams(IReadOnlyList<FileEvent> Changes);
public sealed record DidChangeConfigurationParams(JsonElement? Settings);
public sealed record WorkspaceFoldersChangeEvent(IReadOnlyList<WorkspaceFolder>? Added, IReadOnlyList<WorkspaceFolder>? Removed);
public sealed record DidChangeWorkspaceFoldersParams(WorkspaceFoldersChangeEvent? Event);
public sealed record ConfigurationItem(string? ScopeUri, string? Section);
public sealed record ConfigurationParams(IReadOnlyList<ConfigurationItem> Items);
public sealed record Registration(string Id, string Method, object? RegisterOptions);
public sealed record RegistrationParams(IReadOnlyList<Registration> Registrations);
public sealed record FileSystemWatcher(string GlobPattern, int? Kind);
public sealed record DidChangeWatchedFilesRegistrationOptions(IReadOnlyList<FileSystemWatcher> Watchers);

public sealed record LogMessageParams(int Type, string Message);
public sealed record ShowMessageParams(int Type, string Message);
public sealed record WorkDoneProgressCreateParams(string Token);
public sealed record ProgressParams(string Token, object Value);
public sealed record WorkDoneProgressBegin(string Title, string? Message, bool Cancellable = false, int? Percentage = null)
{
    public string Kind => "begin";
}
public sealed record WorkDoneProgressReport(string? Message, int? Percentage = null)
{
    public string Kind => "report";
}
public sealed record WorkDoneProgressEnd(string? Message)
{
    public string Kind => "end";
}

/// <summary>PaperNotes' own notification, for the VS Code status bar: <c>paperNotes/libraryStatus</c>.</summary>
public sealed record LibraryStatusParams(int Papers, int Notes, bool Indexing);

public static class LspJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
        // Source-generated metadata only: no reflection (NativeAOT, trimming), the same in every build.
        TypeInfoResolver = LspJsonContext.Default,
    };
}
