using System.Text;
using PaperNotes.Core.Library;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>Stable text renderings of parse results, and the shared read-only fixtures.</summary>
internal static class BibTestSupport
{
    /// <summary>One line per paper: <c>key type "title" | authors | date | venue</c>, then one per error:
    /// <c>error@start..end message</c>. A no-break space shows as <c>~</c>.</summary>
    public static string Dump(LibraryFile file, bool errors = true)
    {
        var sb = new StringBuilder();
        foreach (var p in file.Papers)
        {
            sb.Append(p.Key).Append(' ').Append(p.Type).Append(" \"").Append(p.Title).Append("\" | ");
            sb.Append(string.Join("; ", p.Authors.Select(Name)));
            if (p.Editors.Count > 0) sb.Append(" (eds: ").Append(string.Join("; ", p.Editors.Select(Name))).Append(')');
            sb.Append(" | ").Append(Date(p.Issued)).Append(" | ").Append(p.ContainerTitle);
            while (sb[^1] == ' ') sb.Length--;
            sb.Append('\n');
        }
        if (errors)
            foreach (var e in file.Errors) sb.Append("error@").Append(e.Span).Append(' ').Append(e.Message).Append('\n');
        return sb.ToString().TrimEnd('\n').Replace('\u00A0', '~');
    }

    /// <summary>"Family, Given" with [particle] and {suffix}, or =Literal.</summary>
    public static string Name(PersonName n)
    {
        if (n.Literal is not null) return "=" + n.Literal;
        var s = n.Particle is null ? n.Family ?? "" : $"[{n.Particle}] {n.Family}";
        if (n.Given is not null) s += ", " + n.Given;
        if (n.Suffix is not null) s += " {" + n.Suffix + "}";
        return s;
    }

    public static string Date(PaperDate? d) => d is null ? "" :
        d.Year is null ? "'" + d.Literal + "'" : $"{d.Year}{(d.Month is null ? "" : $"-{d.Month:00}")}{(d.Day is null ? "" : $"-{d.Day:00}")}";

    /// <summary>A shared fixture (see <see cref="Repo.Shared"/>); fails loudly when absent.</summary>
    public static string Fixtures(string relative) => Repo.Shared(Path.Combine("fixtures", relative));

    /// <summary>Every .bib/.bibtex file of the BibTeX parser fixtures, in path order.</summary>
    public static List<string> FixtureBibFiles()
    {
        string[] folders = ["debian-bib", "retorquere-bibtex-parser", "biber-tdata", "python-bibtexparser"];
        return folders.SelectMany(f => Directory.EnumerateFiles(Fixtures(f), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".bib", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".bibtex", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads as UTF-8; invalid bytes become U+FFFD.</summary>
    public static string ReadUtf8(string path) => new UTF8Encoding(false, false).GetString(File.ReadAllBytes(path)).TrimStart('\uFEFF');
}
