using PaperNotes.Core.Text;

namespace PaperNotes.Core.Notes;

/// <summary>
/// Finds citations and wiki links in a stretch of ordinary text. Markdig decides what is text (see
/// <see cref="NoteParser"/>); this only reads pandoc's citation syntax, which Markdown itself has no
/// node for. Excluded spans (code, HTML, URLs, math) are skipped.
/// </summary>
internal sealed class InlineScanner(string text, List<Citation> citations, List<WikiLink> links)
{
    /// <param name="region">The block's text span.</param>
    /// <param name="excluded">Sorted, non-overlapping spans inside the region that are not text.</param>
    public void Scan(TextSpan region, IReadOnlyList<TextSpan> excluded)
    {
        var s = text.AsSpan();
        int ex = 0;
        // Bracket depth tells bracketed from in-text citations; reset per block like pandoc's paragraphs.
        int bracketDepth = 0;
        for (int i = region.Start; i < region.End && i < s.Length; i++)
        {
            while (ex < excluded.Count && excluded[ex].End <= i) ex++;
            if (ex < excluded.Count && excluded[ex].Start <= i) { i = excluded[ex].End - 1; continue; }
            char c = s[i];
            switch (c)
            {
                case '\\':
                    i++; // an escaped character is literal: \@ and \[ are not syntax
                    break;
                case '[':
                    if (i + 1 < region.End && s[i + 1] == '[' && TryWikiLink(i, region.End, out int linkEnd))
                    {
                        i = linkEnd - 1;
                        break;
                    }
                    bracketDepth++;
                    break;
                case ']':
                    if (bracketDepth > 0) bracketDepth--;
                    break;
                case '@':
                    if (TryCitation(i, region.End, bracketDepth > 0, out int citeEnd)) i = citeEnd - 1;
                    break;
            }
        }
    }

    private bool TryCitation(int at, int limit, bool inBrackets, out int end)
    {
        end = at + 1;
        var s = text.AsSpan(0, limit);
        // ada@example.com: an '@' right after a letter or digit is not a citation.
        if (at > 0 && char.IsLetterOrDigit(s[at - 1])) return false;
        var form = inBrackets ? CitationForm.Bracketed : CitationForm.InText;
        int start = at;
        if (at > 0 && s[at - 1] == '-' && inBrackets)
        {
            form = CitationForm.SuppressAuthor;
        }
        if (at + 1 < s.Length && s[at + 1] == '{')
        {
            int close = s[(at + 2)..].IndexOfAny('}', '\n');
            if (close <= 0 || s[at + 2 + close] != '}') return false;
            var keySpan = new TextSpan(at + 2, close);
            var key = text.Substring(keySpan.Start, keySpan.Length).Trim();
            if (key.Length == 0) return false;
            end = keySpan.End + 1;
            citations.Add(new Citation(key, TextSpan.FromBounds(start, end), keySpan, form));
            return true;
        }
        int length = CitationSyntax.ScanKey(s, at + 1);
        if (length == 0) return false;
        end = at + 1 + length;
        citations.Add(new Citation(text.Substring(at + 1, length), TextSpan.FromBounds(start, end), new TextSpan(at + 1, length), form));
        return true;
    }

    private bool TryWikiLink(int at, int limit, out int end)
    {
        end = at;
        var s = text.AsSpan(0, limit);
        int contentStart = at + 2;
        int close = s[contentStart..].IndexOfAny("]\n[");
        if (close <= 0) return false;
        int closeAt = contentStart + close;
        if (s[closeAt] != ']' || closeAt + 1 >= s.Length || s[closeAt + 1] != ']') return false;
        var content = s[contentStart..closeAt];
        int bar = content.IndexOf('|');
        var targetRaw = bar >= 0 ? content[..bar] : content;
        var target = targetRaw.Trim();
        if (target.IsEmpty) return false;
        int targetStart = contentStart + (targetRaw.Length - targetRaw.TrimStart().Length);
        string? label = bar >= 0 ? content[(bar + 1)..].Trim().ToString() : null;
        end = closeAt + 2;
        links.Add(new WikiLink(target.ToString(), label, TextSpan.FromBounds(at, end), new TextSpan(targetStart, target.Length)));
        return true;
    }
}
