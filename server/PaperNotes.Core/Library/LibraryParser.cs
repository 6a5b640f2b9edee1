using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Core.Library;

/// <summary>Picks the parser for a library file by its name. Never throws.</summary>
public static class LibraryParser
{
    /// <summary>The kind of a library file; front-matter bibliographies may also be plain .json/.yaml, as pandoc allows.</summary>
    public static LibraryKind? KindOf(string path, bool lenient = false)
    {
        if (LibraryFile.KindOf(path) is { } kind) return kind;
        if (!lenient) return null;
        var p = path.ToLowerInvariant();
        if (p.EndsWith(".json")) return LibraryKind.CslJson;
        if (p.EndsWith(".yaml") || p.EndsWith(".yml")) return LibraryKind.CslYaml;
        return null;
    }

    /// <param name="previous">The version of the file being replaced, if any: unchanged BibTeX entries reuse its papers.</param>
    public static LibraryFile Parse(string path, string text, LibraryKind kind, LibraryFile? previous = null)
    {
        if (Text.BinaryText.FirstNul(text) is var nul and >= 0)
            return new LibraryFile(path, [], [new LibraryError(new Text.TextSpan(nul, 1), Text.BinaryText.Message)], Text.LineIndex.Create(text));
        try
        {
            return kind switch
            {
                LibraryKind.BibTeX => BibParser.Parse(path, text, previous),
                LibraryKind.CslJson => CslJsonParser.Parse(path, text),
                _ => CslYamlParser.Parse(path, text),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Parsers are written never to throw; if one does, the user still gets a finding, not a crash.
            return new LibraryFile(path, [], [new LibraryError(new Text.TextSpan(0, 0), $"internal parser error: {e.Message}")],
                Text.LineIndex.Create(text));
        }
    }
}
