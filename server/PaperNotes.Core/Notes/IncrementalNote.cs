using PaperNotes.Core.Text;

namespace PaperNotes.Core.Notes;

/// <summary>
/// Re-parses only the block an edit touched. A keystroke in a 5,000-line note otherwise costs a whole Markdig parse
/// (about 7 ms and 7 MB, most of an edit's time). The edit is found by comparing the two texts (common prefix and
/// suffix), so a burst of coalesced changes is one edit too. When it lies inside one standalone block (a paragraph or
/// an ATX heading set off by blank lines, see <see cref="NoteLayout"/>), that block's new text is parsed alone; if it
/// is still only standalone paragraphs and headings (typing, a line break, a heading made a paragraph or the other way
/// round, a paragraph split in two), they replace it and everything after moves by the edit's length. Anything that
/// could change how the rest of the note parses — a list, a fence, code, a first character that could join a block to
/// the one above (indentation, a definition's <c>:</c> or <c>~</c>) — falls back to a whole parse.
/// </summary>
internal static class IncrementalNote
{
    public static Note? TryUpdate(Note previous, string text)
    {
        var layout = previous.Layout;
        if (layout.Paragraphs.Count == 0) return null;
        var previousText = layout.Source;
        int prefix = previousText.AsSpan().CommonPrefixLength(text);
        int suffix = CommonSuffixLength(previousText.AsSpan(prefix), text.AsSpan(prefix));
        int oldEnd = previousText.Length - suffix, newEnd = text.Length - suffix, delta = text.Length - previousText.Length;
        if (oldEnd == prefix && newEnd == prefix) return previous;

        int index = IndexOfBlock(layout.Paragraphs, prefix, oldEnd);
        if (index < 0) return null;
        var old = layout.Paragraphs[index];
        var region = TextSpan.FromBounds(old.Start, old.End + delta);
        // Blank lines put before the block would join the block above when it keeps trailing blank lines (indented code).
        if (region.Length == 0 || text[region.Start] is ' ' or '\t' or ':' or '~' or '\n' or '\r') return null;

        // The region must stay within the note's markup bounds, counted as the whole parse counts them.
        var errors = new List<NoteError>();
        MarkdownGuard.Bound(text.Substring(region.Start, region.Length), errors, out long work);
        long total = layout.MarkupWork + work;
        if (errors.Count > 0 || total > MarkdownGuard.Budget(text.Length)) return null;

        var blocks = new List<TextSpan>();
        var citations = new List<Citation>();
        var links = new List<WikiLink>();
        var verbatim = new List<TextSpan>();
        var headings = new List<Heading>();
        if (!NoteParser.TryParseStandalone(text, region, blocks, citations, links, verbatim, headings, out var firstParagraph)) return null;
        // Blocks after a new one that starts with ':' or '~' could be read as definitions of it; indented, as code.
        foreach (var block in blocks) if (text[block.Start] is ':' or '~') return null;

        // Which paragraph comes first in the note: one in the region, else the one before it or after it.
        int first = layout.FirstParagraphStart;
        string? firstText = previous.FirstParagraph;
        if (first >= old.Start && first < old.End)
        {
            if (firstParagraph is null) return null; // the first paragraph became something else: which one is first now is not known here
            (first, firstText) = (FirstParagraphOf(blocks, headings), firstParagraph);
        }
        else if (first < 0 || first >= old.End)
        {
            if (firstParagraph is not null) (first, firstText) = (FirstParagraphOf(blocks, headings), firstParagraph);
            else if (first >= 0) first += delta;
        }

        var spans = new List<TextSpan>(layout.Paragraphs.Count + blocks.Count);
        for (int i = 0; i < index; i++) spans.Add(layout.Paragraphs[i]);
        spans.AddRange(blocks);
        for (int i = index + 1; i < layout.Paragraphs.Count; i++) spans.Add(Shift(layout.Paragraphs[i], delta));
        return previous with
        {
            Lines = LineIndex.Create(text),
            Citations = Splice(previous.Citations, old, citations, c => c.Span, (c, d) => c with { Span = Shift(c.Span, d), KeySpan = Shift(c.KeySpan, d) }, delta),
            WikiLinks = Splice(previous.WikiLinks, old, links, l => l.Span, (l, d) => l with { Span = Shift(l.Span, d), TargetSpan = Shift(l.TargetSpan, d) }, delta),
            Headings = Splice(previous.Headings, old, headings, h => h.Span, (h, d) => h with { Span = Shift(h.Span, d) }, delta),
            Verbatim = Splice(previous.Verbatim, old, verbatim, s => s, Shift, delta),
            FirstParagraph = firstText,
            Layout = new NoteLayout(text, spans, first, total),
        };
    }

    /// <summary>The start of the first block that is not a heading.</summary>
    private static int FirstParagraphOf(List<TextSpan> blocks, List<Heading> headings)
    {
        foreach (var block in blocks)
            if (!headings.Exists(h => h.Span.Start == block.Start)) return block.Start;
        return -1;
    }

    /// <summary>True when the line before the one starting at <paramref name="lineStart"/> is blank.</summary>
    public static bool FollowsBlankLine(string text, int lineStart)
    {
        if (lineStart == 0) return true;
        int end = lineStart - 1; // the previous line's break
        if (text[end] is not ('\n' or '\r')) return false;
        if (text[end] == '\n' && end > 0 && text[end - 1] == '\r') end--;
        int start = end;
        while (start > 0 && text[start - 1] is not ('\n' or '\r')) start--;
        return text.AsSpan(start, end - start).IsWhiteSpace();
    }

    /// <summary>True when <paramref name="lineEnd"/> ends its line and the next line is blank (or the text ends there).</summary>
    public static bool PrecedesBlankLine(string text, int lineEnd)
    {
        if (lineEnd >= text.Length) return true;
        if (text[lineEnd] is not ('\n' or '\r')) return false;
        int next = text[lineEnd] == '\r' && lineEnd + 1 < text.Length && text[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
        int end = next;
        while (end < text.Length && text[end] is not ('\n' or '\r')) end++;
        return text.AsSpan(next, end - next).IsWhiteSpace();
    }

    /// <summary>The paragraph holding [start, end] (an edit may touch either edge), or -1.</summary>
    private static int IndexOfBlock(IReadOnlyList<TextSpan> paragraphs, int start, int end)
    {
        int lo = 0, hi = paragraphs.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var span = paragraphs[mid];
            if (span.End < start) lo = mid + 1;
            else if (span.Start > start) hi = mid - 1;
            else return end <= span.End ? mid : -1;
        }
        return -1;
    }

    /// <summary>How many characters the two end with alike; compared in vectorised blocks from the end.</summary>
    private static int CommonSuffixLength(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        const int Block = 256;
        int n = Math.Min(a.Length, b.Length), same = 0;
        while (same + Block <= n && a.Slice(a.Length - same - Block, Block).SequenceEqual(b.Slice(b.Length - same - Block, Block))) same += Block;
        while (same < n && a[a.Length - same - 1] == b[b.Length - same - 1]) same++;
        return same;
    }

    private static TextSpan Shift(TextSpan span, int delta) => new(span.Start + delta, span.Length);

    /// <summary>The items before <paramref name="old"/>, then <paramref name="inside"/>, then the items after it moved by
    /// <paramref name="delta"/>. Items are in source order and each lies wholly inside or outside a paragraph.</summary>
    private static IReadOnlyList<T> Splice<T>(IReadOnlyList<T> items, TextSpan old, IReadOnlyList<T> inside,
        Func<T, TextSpan> spanOf, Func<T, int, T> shift, int delta)
    {
        var result = new List<T>(items.Count + inside.Count);
        int i = 0;
        while (i < items.Count && spanOf(items[i]).Start < old.Start) result.Add(items[i++]);
        while (i < items.Count && spanOf(items[i]).Start < old.End) i++;
        result.AddRange(inside);
        for (; i < items.Count; i++) result.Add(delta == 0 ? items[i] : shift(items[i], delta));
        return result;
    }
}
