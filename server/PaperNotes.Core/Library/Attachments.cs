using System.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Library;

/// <summary>A file attached to a paper: what the reference manager called it, its absolute path, its type as written.</summary>
public sealed record Attachment(string Description, string Path, string? Type)
{
    public bool IsPdf => Path.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) || (Type?.Contains("pdf", StringComparison.OrdinalIgnoreCase) ?? false);
}

/// <summary>
/// Reads the files a library entry names: BibTeX <c>file</c> as JabRef, Zotero and Better BibTeX write it
/// (<c>Description:path:type</c>, several separated by <c>;</c>, with <c>\:</c>, <c>\;</c> and <c>\\</c> escapes),
/// <c>pdf</c> (a path), and CSL-JSON <c>file</c> when present. Relative paths are resolved against the library
/// file's folder. Pure: whether a file exists is for the caller to ask.
/// </summary>
public static class Attachments
{
    public static IReadOnlyList<Attachment> Of(Paper paper)
    {
        var result = new List<Attachment>();
        if (paper.Fields.TryGetValue("file", out var file)) result.AddRange(ParseFileField(file, paper.SourcePath));
        if (paper.Fields.TryGetValue("pdf", out var pdf) && pdf.Trim() is { Length: > 0 } path)
            result.Add(new Attachment("PDF", Resolve(paper.SourcePath, path), "application/pdf"));
        return result.DistinctBy(a => a.Path).ToList();
    }

    /// <summary>The attachments in a <c>file</c> field value (<paramref name="source"/>: the library file, for relative paths).</summary>
    public static IEnumerable<Attachment> ParseFileField(string value, string source)
    {
        foreach (var item in Split(value, ';'))
        {
            var parts = Split(item, ':').ToList();
            if (parts.All(p => p.Trim().Length == 0)) continue;
            string description = "", path, type = "";
            if (parts.Count == 1) path = parts[0];
            else if (parts.Count == 2) (description, path) = (parts[0], parts[1]);
            else if (parts.Count >= 4 && parts[1].Length == 1 && char.IsAsciiLetter(parts[1][0]))
                (description, path, type) = (parts[0], parts[1] + ":" + string.Join(':', parts[2..^1]), parts[^1]); // C:\… unescaped
            else (description, path, type) = (parts[0], string.Join(':', parts[1..^1]), parts[^1]);
            path = path.Trim();
            if (path.Length == 0) continue;
            yield return new Attachment(description.Trim(), Resolve(source, path), type.Trim().Length == 0 ? null : type.Trim());
        }
    }

    /// <summary>Splits on <paramref name="separator"/> where it is not escaped, and unescapes <c>\x</c> → <c>x</c>.</summary>
    private static IEnumerable<string> Split(string value, char separator)
    {
        var part = new StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is ':' or ';' or '\\') { part.Append(value[++i]); continue; }
            if (c == separator) { yield return part.ToString(); part.Clear(); continue; }
            part.Append(c);
        }
        yield return part.ToString();
    }

    private static string Resolve(string source, string path)
    {
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(path, UriKind.Absolute, out var uri)) return uri.LocalPath;
        path = path.Replace('\\', '/');
        bool absolute = path.StartsWith('/') || (path.Length > 2 && path[1] == ':' && char.IsAsciiLetter(path[0]));
        return absolute ? path : PathUtil.Resolve(source, path);
    }
}
