using System.Text.Json;
using PaperNotes.Core.Features;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Server.State;

/// <summary>
/// The editor's <c>paperNotes.*</c> settings, as the state holds them (they change through the writer like
/// everything else, so a request reads the settings of its own snapshot). An ill-typed or out-of-range value is
/// replaced (by its default, the nearest allowed value, or what is usable of it) and reported by <see cref="Read"/>.
/// </summary>
public sealed record EditorSettings
{
    public static readonly EditorSettings Default = new();

    /// <summary>The smallest <c>paperNotes.inlayHints.maxLength</c> (as package.json's schema says).</summary>
    public const int MinHintLength = 8;

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

    /// <summary><c>paperNotes.cache.enabled</c>: keep images of big libraries in the user's cache directory, so the next
    /// start reads them instead of the libraries (the command line's <c>--no-cache</c> turns it off for good).</summary>
    public bool CacheEnabled { get; init; } = true;

    public static EditorSettings From(JsonElement section) => Read(section).Settings;

    /// <summary>The settings of a <c>paperNotes</c> section, and one sentence per invalid value: the setting, what
    /// was wrong, what is used instead. A missing (or null) value is no problem: it takes its default.</summary>
    public static (EditorSettings Settings, IReadOnlyList<string> Problems) Read(JsonElement section)
    {
        var problems = new List<string>();
        if (section.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return (Default, problems);
        if (section.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"paperNotes should be an object of settings, not {Describe(section)}: using the defaults.");
            return (Default, problems);
        }
        JsonElement? At(params string[] path)
        {
            var node = section;
            foreach (var name in path)
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node)) return null;
            return node.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : node;
        }

        IReadOnlyList<string> Globs(string name, string whatDefault)
        {
            var setting = $"paperNotes.{name}";
            switch (At(name))
            {
                case null:
                    return [];
                case { ValueKind: JsonValueKind.String } one:
                    var glob = one.GetString()!.Trim();
                    if (glob.Length == 0) return [];
                    problems.Add($"{setting} should be a list of glob patterns, not a string: using [\"{glob}\"].");
                    return [glob];
                case { ValueKind: JsonValueKind.Array } list:
                    var globs = list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String)
                        .Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0).ToList();
                    var bad = list.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.String).ToList();
                    if (bad.Count > 0)
                        problems.Add($"{setting} should list glob patterns (strings): ignored {string.Join(", ", bad.Select(Describe))}; "
                            + (globs.Count > 0 ? $"using [{string.Join(", ", globs.Select(g => $"\"{g}\""))}]." : $"using {whatDefault}."));
                    return globs;
                case { } other:
                    problems.Add($"{setting} should be a list of glob patterns, not {Describe(other)}: using {whatDefault}.");
                    return [];
            }
        }

        int Int(int fallback, int minimum, params string[] path)
        {
            var setting = "paperNotes." + string.Join('.', path);
            switch (At(path))
            {
                case null:
                    return fallback;
                case { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var v):
                    if (v >= minimum) return (int)Math.Min(v, int.MaxValue);
                    problems.Add($"{setting} is {v}, below the minimum {minimum}: using {minimum}.");
                    return minimum;
                case { } other:
                    problems.Add($"{setting} should be a whole number, not {Describe(other)}: using {fallback}.");
                    return fallback;
            }
        }

        CitationHintStyle Hints()
        {
            const string setting = "paperNotes.inlayHints.citations";
            var allowed = Enum.GetNames<CitationHintStyle>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]).ToList();
            var fallback = allowed[(int)Default.CitationHints];
            switch (At("inlayHints", "citations"))
            {
                case null:
                    return Default.CitationHints;
                case { ValueKind: JsonValueKind.String } s when allowed.FindIndex(a => a.Equals(s.GetString(), StringComparison.OrdinalIgnoreCase)) is >= 0 and var i:
                    return (CitationHintStyle)i;
                case { } other:
                    problems.Add($"{setting} should be one of {string.Join(", ", allowed)}, not {Describe(other)}: using {fallback}.");
                    return Default.CitationHints;
            }
        }

        bool Bool(bool fallback, params string[] path)
        {
            switch (At(path))
            {
                case null:
                    return fallback;
                case { ValueKind: JsonValueKind.True or JsonValueKind.False } b:
                    return b.GetBoolean();
                case { } other:
                    problems.Add($"paperNotes.{string.Join('.', path)} should be true or false, not {Describe(other)}: using {(fallback ? "true" : "false")}.");
                    return fallback;
            }
        }

        var settings = new EditorSettings
        {
            Globs = new WorkspaceConfig(Globs("library", "every library file"), Globs("notes", "every Markdown file")),
            CitationHints = Hints(),
            CitationHintLength = Int(Default.CitationHintLength, MinHintLength, "inlayHints", "maxLength"),
            UnusedEntriesUpTo = Int(Default.UnusedEntriesUpTo, 0, "diagnostics", "unusedEntries", "maxLibrarySize"),
            ZoteroLinks = Bool(Default.ZoteroLinks, "zotero", "links"),
            CacheEnabled = Bool(Default.CacheEnabled, "cache", "enabled"),
        };
        return (settings, problems);
    }

    /// <summary>A setting's value as a message shows it: a string quoted, anything else as JSON, cut when long.</summary>
    private static string Describe(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => $"\"{value.GetString()}\"",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            _ => value.GetRawText(),
        };
        return text.Length > 60 ? text[..57] + "…" : text;
    }

    public bool SameGlobs(EditorSettings other) =>
        (Globs?.LibraryGlobs ?? []).SequenceEqual(other.Globs?.LibraryGlobs ?? []) && (Globs?.NoteGlobs ?? []).SequenceEqual(other.Globs?.NoteGlobs ?? []);
}
