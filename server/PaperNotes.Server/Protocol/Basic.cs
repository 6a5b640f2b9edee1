using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
    public ResolveOptions InlayHintProvider { get; init; } = new(true);
    public ResolveOptions CodeLensProvider { get; init; } = new(true);
    public SemanticTokensOptions SemanticTokensProvider { get; init; } = new();
    public ExecuteCommandOptions ExecuteCommandProvider { get; init; } = new();
    public WorkspaceServerCapabilities Workspace { get; init; } = new();
}
public sealed record ResolveOptions(bool ResolveProvider);
public sealed record ExecuteCommandOptions { public IReadOnlyList<string> Commands { get; init; } = [Protocol.Commands.Open]; }
public sealed record SemanticTokensLegend(IReadOnlyList<string> TokenTypes, IReadOnlyList<string> TokenModifiers);
public sealed record SemanticTokensOptions
{
    public SemanticTokensLegend Legend { get; init; } = new(TokenLegend.Types, TokenLegend.Modifiers);
    public bool Range { get; init; } = true;
    public bool Full { get; init; } = true;
}

/// <summary>
/// The semantic token legend: standard types and modifiers only, so every theme colors them without
/// configuration — citations are variables (readonly when they resolve, deprecated when they do not), wiki
/// links namespaces, library keys variable declarations.
/// </summary>
public static class TokenLegend
{
    public static readonly IReadOnlyList<string> Types = ["variable", "namespace"];
    public static readonly IReadOnlyList<string> Modifiers = ["declaration", "readonly", "deprecated"];
    public const int Variable = 0, Namespace = 1;
    public const int Declaration = 1, Readonly = 2, Deprecated = 4;
}

/// <summary>Commands: <see cref="Open"/> runs on the server (window/showDocument); <see cref="ShowReferences"/> is the
/// VS Code extension's own (it turns plain data into the objects editor.action.showReferences needs).</summary>
public static class Commands
{
    public const string Open = "paperNotes.open";
    public const string ShowReferences = "paperNotes.showReferences";
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

/// <summary>PaperNotes' own request <c>paperNotes/cslItems</c>: the CSL-JSON items a note cites, for the VS Code
/// Markdown preview's citation processor.</summary>
public sealed record CslItemsParams(string Uri);

/// <summary>The items (a CSL-JSON array, in order of first citation) and the cited keys nothing defines.</summary>
public sealed record CslItemsResult(JsonElement Items, IReadOnlyList<string> Unknown);

public static class LspJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
        // Source-generated metadata only: no reflection (NativeAOT, trimming), the same in every build; plus the
        // null checks below.
        TypeInfoResolver = LspJsonContext.Default.WithAddedModifier(RejectNulls),
    };

    /// <summary>
    /// The records' nullability is the schema: a non-nullable member (or list item) that a client leaves out or sends
    /// as null fails deserialization, so a request gets an error response and a notification is ignored, instead of
    /// a NullReferenceException in a handler. Writing is unchanged.
    /// </summary>
    private static void RejectNulls(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace != typeof(LspJson).Namespace) return;
        var nullability = new NullabilityInfoContext();
        var checks = new List<(string Name, Func<object, object?> Get, bool Items)>();
        foreach (var property in info.Properties)
        {
            if (property.Get is not { } get || property.AttributeProvider is not PropertyInfo member || member.PropertyType.IsValueType) continue;
            var state = nullability.Create(member);
            if (state.ReadState == NullabilityState.NotNull) checks.Add((property.Name, get, false));
            if (state.GenericTypeArguments is [{ ReadState: NullabilityState.NotNull } item] && !item.Type.IsValueType && typeof(IEnumerable).IsAssignableFrom(member.PropertyType))
                checks.Add((property.Name, get, true));
        }
        if (checks.Count == 0) return;
        info.OnDeserialized = value =>
        {
            foreach (var (name, get, items) in checks)
            {
                var member = get(value);
                if (member is null && !items) throw new JsonException($"{info.Type.Name}: '{name}' is missing or null");
                if (items && member is IEnumerable list)
                    foreach (var item in list)
                        if (item is null) throw new JsonException($"{info.Type.Name}: '{name}' holds a null");
            }
        };
    }
}
