using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

public sealed record LinkResult(TextSpan Span, string Target, string? Tooltip);

/// <summary>Clickable links: wiki links in notes, and citations of papers with an attached file (its PDF first);
/// DOI and URL values in library files.</summary>
public static class DocumentLinks
{
    public static IReadOnlyList<LinkResult> Find(FeatureContext context)
    {
        var result = new List<LinkResult>();
        if (context.Note is { } note)
        {
            foreach (var link in note.WikiLinks)
                if (context.Snapshot.ResolveWikiLink(note, link.Target) is { } target)
                    result.Add(new LinkResult(link.TargetSpan, Hover.FileUri(target.Path), target.Title));
            foreach (var citation in note.Citations)
                if (context.Snapshot.ResolveKey(note, citation.Key) is { } paper && context.ExistingAttachments(paper) is [var file, ..])
                    result.Add(new LinkResult(citation.KeySpan, PaperMarkdown.FileUri(file.Path), file.IsPdf ? "Open PDF" : "Open attached file"));
            result.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
            return result;
        }
        if (context.Library is not { } library || context.Text is not { } text) return result;
        // Values are found inside each entry's own text, so no per-field spans need to be kept in memory.
        foreach (var paper in library.Papers)
        {
            if (paper.Doi is { Length: > 0 } doi && IndexIn(text, paper.EntrySpan, "doi", doi) is int d)
                result.Add(new LinkResult(new TextSpan(d, doi.Length), "https://doi.org/" + doi, "Open DOI"));
            if (paper.Url is { Length: > 0 } url && IndexIn(text, paper.EntrySpan, "url", url) is int u && Uri.IsWellFormedUriString(url, UriKind.Absolute))
                result.Add(new LinkResult(new TextSpan(u, url.Length), url, "Open URL"));
        }
        return result;
    }

    /// <summary>Where the field's value is written in the entry: the occurrence right after the field name
    /// (<c>doi = {</c>, <c>"DOI": "</c>, <c>DOI: </c>), so a DOI repeated inside a URL does not link twice; else the first.</summary>
    private static int? IndexIn(string text, TextSpan span, string field, string value)
    {
        if (span.End > text.Length) return null;
        int first = text.IndexOf(value, span.Start, span.Length, StringComparison.Ordinal);
        for (int at = first; at >= 0; at = text.IndexOf(value, at + 1, span.End - at - 1, StringComparison.Ordinal))
        {
            int i = at - 1;
            while (i >= span.Start && text[i] is ' ' or '\t' or '\r' or '\n' or '{' or '"' or '\'' or '=' or ':') i--;
            int nameStart = i + 1 - field.Length;
            if (nameStart >= span.Start && string.Compare(text, nameStart, field, 0, field.Length, StringComparison.OrdinalIgnoreCase) == 0)
                return at;
            if (at + 1 >= span.End) break;
        }
        return first >= 0 ? first : null;
    }
}
