using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

/// <summary>What a token is; the server maps these to the legend it declares.</summary>
public enum TokenKind { Citation, WikiLink, LibraryKey }

/// <summary>A token; <see cref="Resolved"/> is false for a citation or link that names nothing.</summary>
public sealed record TokenResult(TextSpan Span, TokenKind Kind, bool Resolved);

/// <summary>
/// Semantic tokens: citation keys (resolved or not) and wiki links in notes, entry keys in library files, in
/// source order, within the range when one is given. Themes can color a broken key before its squiggle arrives.
/// </summary>
public static class SemanticTokens
{
    public static IReadOnlyList<TokenResult> Find(FeatureContext context, TextSpan? range = null)
    {
        var within = range ?? new TextSpan(0, int.MaxValue / 2);
        var result = new List<TokenResult>();
        if (context.Note is { } note)
        {
            var snapshot = context.Snapshot;
            // Citations and links are each in source order; merge them so tokens come out sorted.
            var tokens = new List<TokenResult>();
            foreach (var citation in note.Citations)
                if (Overlaps(citation.Span, within))
                    tokens.Add(new TokenResult(citation.Span, TokenKind.Citation, snapshot.Knows(note, citation.Key)));
            foreach (var link in note.WikiLinks)
                if (Overlaps(link.TargetSpan, within))
                    tokens.Add(new TokenResult(link.TargetSpan, TokenKind.WikiLink,
                        snapshot.ResolveWikiLink(note, link.Target) is not null || snapshot.Knows(note, link.Target)));
            tokens.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
            return tokens;
        }
        if (context.Library is { } library)
        {
            for (int i = 0; i < library.Papers.Count; i++)
            {
                var span = library.KeySpanAt(i); // no decoding
                if (span.Start > within.End) break;
                if (Overlaps(span, within)) result.Add(new TokenResult(span, TokenKind.LibraryKey, true));
            }
        }
        return result;
    }

    private static bool Overlaps(TextSpan span, TextSpan range) => span.Start <= range.End && span.End >= range.Start;
}
