using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

public sealed record LinkResult(TextSpan Span, string Target, string? Tooltip);

/// <summary>Clickable links: wiki links in notes; DOI and URL values in library files.</summary>
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
            return result;
        }
        if (context.Library is not { } library || context.Text is not { } text) return result;
        // Values are found inside each entry's own text, so no per-field spans need to be kept in memory.
        foreach (var paper in library.Papers)
        {
            if (paper.Doi is { Length: > 0 } doi && IndexIn(text, paper.EntrySpan, doi) is int d)
                result.Add(new LinkResult(new TextSpan(d, doi.Length), "https://doi.org/" + doi, "Open DOI"));
            if (paper.Url is { Length: > 0 } url && IndexIn(text, paper.EntrySpan, url) is int u && Uri.IsWellFormedUriString(url, UriKind.Absolute))
                result.Add(new LinkResult(new TextSpan(u, url.Length), url, "Open URL"));
        }
        return result;
    }

    private static int? IndexIn(string text, TextSpan span, string value)
    {
        if (span.End > text.Length) return null;
        int at = text.IndexOf(value, span.Start, span.Length, StringComparison.Ordinal);
        return at >= 0 ? at : null;
    }
}
