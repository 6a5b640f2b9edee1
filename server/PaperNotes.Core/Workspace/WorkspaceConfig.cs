using Microsoft.Extensions.FileSystemGlobbing;
using PaperNotes.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PaperNotes.Core.Workspace;

/// <summary>
/// Which workspace files are library files and which are notes: glob lists relative to the root.
/// Defaults, then <c>.papernotes.yaml</c> (<c>library:</c>, <c>notes:</c>), then editor settings override.
/// </summary>
public sealed class WorkspaceConfig
{
    public static readonly IReadOnlyList<string> DefaultLibraryGlobs =
        ["**/*.bib", "**/*.bibtex", "**/*.csl.json", "**/*.csl.yaml", "**/*.csl.yml"];
    public static readonly IReadOnlyList<string> DefaultNoteGlobs = ["**/*.md", "**/*.markdown"];
    public const string FileName = ".papernotes.yaml";

    public static readonly WorkspaceConfig Default = new(DefaultLibraryGlobs, DefaultNoteGlobs);

    public IReadOnlyList<string> LibraryGlobs { get; }
    public IReadOnlyList<string> NoteGlobs { get; }
    private readonly Matcher _library;
    private readonly Matcher _notes;

    public WorkspaceConfig(IReadOnlyList<string> libraryGlobs, IReadOnlyList<string> noteGlobs)
    {
        LibraryGlobs = libraryGlobs;
        NoteGlobs = noteGlobs;
        _library = Build(libraryGlobs);
        _notes = Build(noteGlobs);
    }

    /// <summary>Same config with the non-empty lists replaced (editor settings win over the file).</summary>
    public WorkspaceConfig Override(IReadOnlyList<string>? libraryGlobs, IReadOnlyList<string>? noteGlobs) =>
        new(libraryGlobs is { Count: > 0 } ? libraryGlobs : LibraryGlobs, noteGlobs is { Count: > 0 } ? noteGlobs : NoteGlobs);

    private static Matcher Build(IReadOnlyList<string> globs)
    {
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        foreach (var glob in globs) matcher.AddInclude(glob.TrimStart('/'));
        return matcher;
    }

    /// <summary>Folders never searched: VCS, dependencies, build output and every dot-folder.</summary>
    public static bool IsSkippedFolder(string name) =>
        name.StartsWith('.') || name is "node_modules" or "bin" or "obj";

    /// <summary>True when a root-relative path (with '/') lies in a skipped folder.</summary>
    public static bool IsInSkippedFolder(string relativePath)
    {
        var parts = relativePath.Split('/');
        for (int i = 0; i < parts.Length - 1; i++)
            if (IsSkippedFolder(parts[i])) return true;
        return false;
    }

    public bool IsLibrary(string relativePath) => !IsInSkippedFolder(relativePath) && _library.Match(relativePath).HasMatches;

    public bool IsNote(string relativePath) => !IsInSkippedFolder(relativePath) && _notes.Match(relativePath).HasMatches;

    /// <summary>Reads <c>.papernotes.yaml</c>. A broken file gives the defaults and an error message with line:column.</summary>
    public static (WorkspaceConfig Config, string? Error) Parse(string yamlText)
    {
        try
        {
            var stream = new YamlStream();
            var parser = new BoundedYamlParser(new StringReader(yamlText));
            stream.Load(parser);
            var problem = parser.Problems.Count == 0 ? null
                : $"{parser.Problems[0].Start.Line}:{parser.Problems[0].Start.Column}: {parser.Problems[0].Message}";
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                return (Default, problem);
            IReadOnlyList<string>? Read(string name) =>
                root.Children.TryGetValue(new YamlScalarNode(name), out var node)
                    ? node switch
                    {
                        YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => [s.Value!],
                        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").Where(v => v.Length > 0).ToList(),
                        _ => null,
                    }
                    : null;
            return (Default.Override(Read("library"), Read("notes")), problem);
        }
        catch (YamlException e)
        {
            return (Default, $"{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message.Split('\n')[0]}");
        }
    }
}
