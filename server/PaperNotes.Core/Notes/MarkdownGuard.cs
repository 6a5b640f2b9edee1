using System.Buffers;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Notes;

/// <summary>
/// Bounds what Markdig is given. Markdig throws past 128 nested blocks or 10,240 nested inlines (the whole note
/// then loses its structure, with no position), and before that its cost grows with the nesting: every line
/// walks the open quotes and lists (a million <c>- </c> on one line took 38 s, 2,000 lines of ever deeper lists
/// 16 s), every inline walks the unclosed brackets and emphasis markers of its paragraph (9,000 <c>[</c> then code
/// spans: 23 s). A linear pre-scan finds where a note passes the bounds below and blanks the text from there
/// (spaces, line breaks kept, so every offset stays the same), with one error at that place.
/// </summary>
internal static class MarkdownGuard
{
    /// <summary>Quotes and list items one line may be inside (each list item is two Markdig blocks: 64 + the
    /// document and a paragraph stay under Markdig's 128).</summary>
    public const int MaxBlockNesting = 32;
    /// <summary>Brackets and emphasis runs one paragraph may leave open (Markdig's limit is 10,240).</summary>
    public const int MaxInlineOpeners = 4096;
    /// <summary>Inline work per note: each inline costs the openers before it in its paragraph. Real notes stay far
    /// below (50 openers × 500 inlines per 5 KB paragraph is 1.25 per character); ~2.5 ns a unit in Markdig.</summary>
    public const long WorkAllowance = 100_000_000, WorkPerChar = 4;

    /// <summary>The work a note of <paramref name="length"/> characters may use.</summary>
    public static long Budget(int length) => WorkAllowance + WorkPerChar * (long)length;

    private static readonly SearchValues<char> InlineStarts = SearchValues.Create("`\\<&![]*_~^=+$");

    /// <summary>The text to give Markdig: <paramref name="text"/> itself when within bounds, else a copy with the
    /// excess blanked; the errors say where.</summary>
    public static string Bound(string text, List<NoteError> errors) => Bound(text, errors, out _);

    /// <param name="work">The inline work the text used (additive over paragraphs: an edit of one paragraph can be
    /// checked against the note's allowance without scanning the rest).</param>
    public static string Bound(string text, List<NoteError> errors, out long work)
    {
        var guard = new Scan(text);
        guard.Run();
        work = guard.Work;
        errors.AddRange(guard.Errors);
        if (guard.Blanks.Count == 0) return text;
        // One copy, written once: a 20 MB note costs 40 MB more here, not 80.
        return string.Create(text.Length, (text, guard.Blanks), static (copy, state) =>
        {
            state.text.CopyTo(copy);
            foreach (var (from, to) in state.Blanks)
                for (int i = from; i < to; i++)
                    if (copy[i] is not ('\n' or '\r')) copy[i] = ' ';
        });
    }

    private sealed class Scan(string text)
    {
        private readonly long _budget = Budget(text.Length);
        private long _work;
        private int _open; // an upper bound on the quotes and list items open after the previous line
        private int _brackets, _emphasis; // openers of the current paragraph (non-blank lines in a row)
        private char _breakChar;
        private int _breakFailsAt = -1;
        private bool _blockReported, _inlineReported;

        public List<(int From, int To)> Blanks { get; } = [];
        public long Work => _work;
        public List<NoteError> Errors { get; } = [];

        public void Run()
        {
            int pos = AfterFrontMatter();
            while (pos < text.Length)
            {
                int end = LineEnd(pos);
                if (IsBlank(pos, end))
                {
                    _brackets = _emphasis = 0; // a blank line ends every paragraph; quotes and lists may stay open
                }
                else
                {
                    int content = Prefix(pos, end);
                    if (!Inline(content, end, out int stopAt))
                    {
                        pos = stopAt;
                        continue;
                    }
                }
                pos = NextLine(end);
            }
        }

        /// <summary>YAML front matter is not Markdown (and has its own bounds): the offset after its closing line, or 0.</summary>
        private int AfterFrontMatter()
        {
            int end = LineEnd(0);
            if (!text.AsSpan(0, end).TrimEnd().SequenceEqual("---")) return 0;
            for (int pos = NextLine(end); pos < text.Length; pos = NextLine(end))
            {
                end = LineEnd(pos);
                var line = text.AsSpan(pos, end - pos).TrimEnd();
                if (line.SequenceEqual("---") || line.SequenceEqual("...")) return NextLine(end);
            }
            return 0;
        }

        /// <summary>Reads the line's quote and list markers. A line can continue at most one open container per
        /// '>' or two columns of indent, and open one per marker: the bound is the lesser of that and what was open
        /// plus its markers. Past <see cref="MaxBlockNesting"/> the rest of the line is blanked. Returns where the
        /// line's inline content starts.</summary>
        private int Prefix(int start, int end)
        {
            int columns = 0, markers = 0, levels = 0, i = start;
            while (i < end)
            {
                char c = text[i];
                if (c == ' ') { columns++; i++; continue; }
                if (c == '\t') { columns += 4 - columns % 4; i++; continue; }
                int markerEnd;
                if (c == '>') markerEnd = i + 1;
                else if (c is '-' or '*' or '+' && (i + 1 == end || text[i + 1] is ' ' or '\t') && !IsThematicBreak(i, end)) markerEnd = i + 1;
                else if (OrderedMarkerEnd(i, end) is int ordered and > 0) markerEnd = ordered;
                else break;
                markers++;
                levels = Math.Min(markers + columns / 2, _open + markers);
                if (levels > MaxBlockNesting)
                {
                    Blank(i, end);
                    if (!_blockReported)
                        Errors.Add(new NoteError(new TextSpan(i, markerEnd - i),
                            $"more than {MaxBlockNesting} nested quotes and lists: the rest of this line is not read"));
                    _blockReported = true;
                    _open = MaxBlockNesting;
                    return end;
                }
                i = markerEnd;
            }
            _open = Math.Max(_open, levels);
            return i;
        }

        /// <summary>"- - -", "* * *": a thematic break, not three list items. Remembers where the last check
        /// failed, so a long line of markers is checked once, not once per marker.</summary>
        private bool IsThematicBreak(int at, int end)
        {
            char c = text[at];
            if (c == _breakChar && _breakFailsAt > at) return false;
            int count = 0;
            for (int i = at; i < end; i++)
            {
                if (text[i] == c) count++;
                else if (text[i] is not (' ' or '\t'))
                {
                    (_breakChar, _breakFailsAt) = (c, i);
                    return false;
                }
            }
            return count >= 3;
        }

        private int OrderedMarkerEnd(int at, int end)
        {
            int i = at;
            while (i < end && i - at < 9 && char.IsAsciiDigit(text[i])) i++;
            if (i == at || i >= end || text[i] is not ('.' or ')')) return 0;
            i++;
            return i == end || text[i] is ' ' or '\t' ? i : 0;
        }

        /// <summary>Counts the paragraph's openers (each '[' until its ']'; each run of emphasis characters) and
        /// charges every inline start with them. False when a bound was passed and the text blanked from
        /// <paramref name="stopAt"/> on (to the end of the paragraph, or of the note).</summary>
        private bool Inline(int start, int end, out int stopAt)
        {
            stopAt = end;
            for (int i = start; i < end; i++)
            {
                int k = text.AsSpan(i, end - i).IndexOfAny(InlineStarts);
                if (k < 0) break;
                i += k;
                char c = text[i];
                if (c == '[') _brackets++;
                else if (c == ']') { if (_brackets > 0) _brackets--; }
                else if (c is '*' or '_' or '~' or '^' && (i == start || text[i - 1] != c)) _emphasis++;
                else if (c is '=' or '+' && i + 1 < end && text[i + 1] == c && (i == start || text[i - 1] != c)) _emphasis++;
                _work += _brackets + _emphasis;
                if (_brackets + _emphasis > MaxInlineOpeners)
                {
                    stopAt = BlankParagraph(i);
                    if (!_inlineReported)
                        Errors.Add(new NoteError(new TextSpan(i, 1),
                            $"more than {MaxInlineOpeners:N0} unclosed brackets and emphasis markers in one paragraph: the rest of it is not read"));
                    _inlineReported = true;
                    _brackets = _emphasis = 0;
                    return false;
                }
                if (_work > _budget)
                {
                    Blank(i, text.Length);
                    Errors.Add(new NoteError(new TextSpan(i, 1), "too much nested Markdown markup in this note: the rest of it is not read"));
                    stopAt = text.Length;
                    return false;
                }
            }
            _work += _brackets + _emphasis; // the line break is an inline too
            return true;
        }

        /// <summary>Blanks from <paramref name="from"/> to the paragraph's end, except code fence lines (blanking a
        /// closing fence would turn the rest of the note into code). Returns where the paragraph ends.</summary>
        private int BlankParagraph(int from)
        {
            int end = LineEnd(from);
            Blank(from, end);
            int pos = NextLine(end);
            while (pos < text.Length)
            {
                end = LineEnd(pos);
                if (IsBlank(pos, end)) return pos;
                if (!IsFence(pos, end)) Blank(pos, end);
                pos = NextLine(end);
            }
            return pos;
        }

        private bool IsFence(int start, int end)
        {
            var line = text.AsSpan(start, end - start).TrimStart(" \t>");
            return line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal);
        }

        private void Blank(int from, int to) => Blanks.Add((from, to));

        private bool IsBlank(int start, int end) => text.AsSpan(start, end - start).IsWhiteSpace();

        private int LineEnd(int from)
        {
            int k = text.AsSpan(from).IndexOfAny('\n', '\r');
            return k < 0 ? text.Length : from + k;
        }

        private int NextLine(int end) =>
            end < text.Length && text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
    }
}
