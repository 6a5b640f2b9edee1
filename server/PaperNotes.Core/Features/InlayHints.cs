using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

/// <summary>What the hint after a citation shows (setting <c>paperNotes.inlayHints.citations</c>).</summary>
public enum CitationHintStyle { Off, AuthorYear, Title, AuthorYearTitle }

public sealed record InlayHintOptions(CitationHintStyle Style, int MaxLength)
{
    public static readonly InlayHintOptions Default = new(CitationHintStyle.AuthorYearTitle, 40);
}

/// <summary>A hint to show at <see cref="Offset"/> (right after the citation); <see cref="Key"/> resolves its tooltip.</summary>
public sealed record InlayHintResult(int Offset, string Label, string Key);

/// <summary>
/// Inlay hints: after each resolved citation in the requested range, who and when and what
/// (<c>Tian et al. 2021 · Understanding self-supervised…</c>). Unknown keys get none: their diagnostic speaks.
/// Only citations in the range are looked at, so a viewport of a 5,000-line note costs what the viewport holds.
/// </summary>
public static class InlayHints
{
    public static IReadOnlyList<InlayHintResult> Find(FeatureContext context, TextSpan range)
    {
        var options = context.Options.InlayHints;
        if (options.Style == CitationHintStyle.Off || context.Note is not { } note) return [];
        var citations = note.Citations;
        var result = new List<InlayHintResult>();
        for (int i = FirstEndingAtOrAfter(citations, range.Start); i < citations.Count && citations[i].Span.Start <= range.End; i++)
        {
            var citation = citations[i];
            // From the search index's labels: a viewport of a note citing a million-paper library decodes nothing.
            if (!context.Snapshot.TryLabels(note, citation.Key, out var title, out var who)) continue;
            if (Label(title, who, options) is { Length: > 0 } label) result.Add(new InlayHintResult(citation.Span.End, label, citation.Key));
        }
        return result;
    }

    /// <summary>The hint's text: "Tian et al. 2021", the title, or both joined by " · "; the title is cut at a word
    /// with "…" past <see cref="InlayHintOptions.MaxLength"/> characters (the whole label when it shows no title).</summary>
    /// <param name="paperTitle">The paper's title.</param>
    /// <param name="short">Its short who-and-when, <see cref="PaperMarkdown.Short"/>.</param>
    public static string Label(string? paperTitle, string @short, InlayHintOptions options)
    {
        var who = options.Style is CitationHintStyle.AuthorYear or CitationHintStyle.AuthorYearTitle ? PaperMarkdown.AuthorYear(@short) : "";
        var title = options.Style is CitationHintStyle.Title or CitationHintStyle.AuthorYearTitle ? OneLine(paperTitle) : "";
        if (title.Length == 0) return Cut(who, options.MaxLength);
        title = Cut(title, options.MaxLength);
        return who.Length == 0 ? title : who + " · " + title;
    }

    private static string OneLine(string? text) => string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>At most <paramref name="max"/> characters plus "…", cut after a whole word (the first word at least).</summary>
    internal static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        int cut = text.LastIndexOf(' ', Math.Min(max, text.Length - 1));
        if (cut <= 0) cut = Math.Min(text.IndexOf(' ') is int space and > 0 ? space : text.Length, text.Length);
        var kept = text[..cut].TrimEnd(' ', ',', ';', ':', '.', '·', '-');
        return kept.Length == text.Length ? text : kept + "…";
    }

    private static int FirstEndingAtOrAfter(IReadOnlyList<Citation> citations, int offset)
    {
        int lo = 0, hi = citations.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (citations[mid].Span.End < offset) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
