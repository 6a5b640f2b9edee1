using System.Text.Json;
using PaperNotes.Core.Features;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Server.State;

/// <summary>
/// The editor's <c>paperNotes.*</c> settings, as the state holds them (they change through the writer like
/// everything else, so a request reads the settings of its own snapshot). Unknown or ill-typed values keep
/// their defaults.
/// </summary>
public sealed record EditorSettings
{
    public static readonly EditorSettings Default = new();

    /// <summary><c>paperNotes.library</c> / <c>paperNotes.notes</c>; null when neither is set.</summary>
    public WorkspaceConfig? Globs { get; init; }

    /// <summary><c>paperNotes.inlayHints.citations</c>: what the hint after a citation shows.</summary>
    public CitationHintStyle CitationHints { get; init; } = CitationHintStyle.AuthorYearTitle;

    /// <summary><c>paperNotes.inlayHints.maxLength</c>: a hint's title is cut at a word past this many characters.</summary>
    public int CitationHintLength { get; init; } = 40;

    /// <summary><c>paperNotes.diagnostics.unusedEntries.maxLibrarySize</c>: library files up to this many entries
    /// report entries no note cites (0: never).</summary>
    public int UnusedEntriesUpTo { get; init; } = 1000;

    /// <summary><c>paperNotes.zotero.links</c>: "Open in Zotero" links (the URL scheme Better BibTeX registers).</summary>
    public bool ZoteroLinks { get; init; }

    public static EditorSettings From(JsonElement section)
    {
        if (section.ValueKind != JsonValueKind.Object) return Default;
        IReadOnlyList<string> Globs(string name) =>
            section.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(s => s.Length > 0).ToList()
                : [];
        JsonElement? At(params string[] path)
        {
            var node = section;
            foreach (var name in path)
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node)) return null;
            return node;
        }
        int Int(int fallback, params string[] path) =>
            At(path) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var v) && v >= 0 ? v : fallback;
        var hints = At("inlayHints", "citations") is { ValueKind: JsonValueKind.String } h
            && Enum.TryParse<CitationHintStyle>(h.GetString(), ignoreCase: true, out var style) ? style : Default.CitationHints;
        return new EditorSettings
        {
            Globs = new WorkspaceConfig(Globs("library"), Globs("notes")),
            CitationHints = hints,
            CitationHintLength = Math.Max(8, Int(Default.CitationHintLength, "inlayHints", "maxLength")),
            UnusedEntriesUpTo = Int(Default.UnusedEntriesUpTo, "diagnostics", "unusedEntries", "maxLibrarySize"),
            ZoteroLinks = At("zotero", "links") is { ValueKind: JsonValueKind.True },
        };
    }

    public bool SameGlobs(EditorSettings other) =>
        (Globs?.LibraryGlobs ?? []).SequenceEqual(other.Globs?.LibraryGlobs ?? []) && (Globs?.NoteGlobs ?? []).SequenceEqual(other.Globs?.NoteGlobs ?? []);
}
