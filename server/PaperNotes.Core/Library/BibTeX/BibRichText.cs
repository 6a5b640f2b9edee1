using System.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// A BibTeX value as CSL rich text, the way pandoc's BibLaTeX reader renders it in CSL-JSON: LaTeX decoded,
/// <c>\emph</c>/<c>\textit</c>/<c>{\em …}</c> → &lt;i&gt;, <c>\textbf</c> → &lt;b&gt;, <c>\textsc</c> → a
/// small-caps span, super/subscripts → &lt;sup&gt;/&lt;sub&gt;, <c>'</c> → ’; and, for titles, pandoc's
/// sentence case (citeproc's <c>withSentenceCase</c>), which leaves braced text alone.
/// </summary>
internal static partial class BibRichText
{
    // Link: a URL's text, re-cased like text but never cut at a colon for the short title (pandoc's Link inline)
    private enum Kind { Text, Protected, Tag, Link }

    private readonly record struct Piece(string Text, Kind Kind);

    private const int MaxDepth = 64;
    private const string SmallCaps = "<span style=\"font-variant:small-caps;\">";

    /// <summary>The rendered value; "" for a present but empty field (pandoc writes it), null when absent.</summary>
    public static string? Text(BibValue? value) => value is BibValue v ? Render(v.ToString(), sentenceCase: false) : null;

    public static string? Title(BibValue? value, bool sentenceCase) => value is BibValue v ? Render(v.ToString(), sentenceCase) : null;

    public static string Render(string latex, bool sentenceCase) => Render(latex, sentenceCase, shortTitle: false, requireColon: false)!;

    /// <summary>pandoc's short title: the title up to its first colon outside braces and markup; without such a
    /// colon the whole title, or nothing when <paramref name="requireColon"/>.</summary>
    public static string? ShortTitle(BibValue? value, bool sentenceCase, bool requireColon) =>
        value is BibValue v ? Render(v.ToString(), sentenceCase, shortTitle: true, requireColon) : null;

    private static string? Render(string latex, bool sentenceCase, bool shortTitle, bool requireColon)
    {
        var pieces = new List<Piece>();
        Walk(latex, 0, latex.Length, protect: false, pieces, 0);
        if (sentenceCase) SentenceCase(pieces);
        var sb = new StringBuilder(latex.Length);
        bool cut = false;
        int tags = 0;
        foreach (var p in pieces)
        {
            if (shortTitle && p.Kind == Kind.Text && tags == 0 && p.Text.IndexOf(':') is int colon and >= 0)
            {
                sb.Append(p.Text.AsSpan(0, colon));
                cut = true;
                break;
            }
            if (p.Kind == Kind.Tag) tags += p.Text.StartsWith("</", StringComparison.Ordinal) ? -1 : 1;
            sb.Append(p.Text);
        }
        if (shortTitle && !cut && requireColon) return null;
        var text = Quotes(Collapse(sb.ToString())).Replace('\u2009', '\u2006'); // pandoc's \, is a six-per-em space
        // pandoc's short title keeps a space before the colon ("PC : les"), and is "" (not absent) when only
        // dropped commands come before the colon
        if (cut && text.Length > 0 && sb.Length > 0 && sb[^1] is ' ' or '\n' or '\r' or '\t') text += " ";
        return shortTitle && text.Length == 0 && !(cut && sb.Length > 0) ? null : text;
    }

    /// <summary>pandoc's smart quotes as CSL writes them: a `single' quotation becomes “double” (the outer level),
    /// any other ' an apostrophe ’.</summary>
    private static string Quotes(string s)
    {
        if (s.IndexOf('\'') < 0 && s.IndexOf('‘') < 0) return s;
        var chars = s.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] != '‘') continue;
            for (int j = i + 1; j < chars.Length; j++)
            {
                if (chars[j] == '‘') break;
                if (chars[j] == '\'' && (j + 1 == chars.Length || !char.IsLetterOrDigit(chars[j + 1])))
                {
                    chars[i] = '“';
                    chars[j] = '”';
                    break;
                }
            }
        }
        return new string(chars).Replace('\'', '’');
    }

    /// <summary>One space for each whitespace run, none at the ends; a paragraph break (a blank line) joins the
    /// paragraphs with nothing between them, as pandoc flattens blocks.</summary>
    private static string Collapse(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool space = false;
        int newlines = 0;
        foreach (var c in s)
        {
            if (c is ' ' or '\n' or '\r' or '\t')
            {
                space = sb.Length > 0;
                if (c == '\n') newlines++;
                continue;
            }
            if (space && newlines < 2) sb.Append(' ');
            space = false;
            newlines = 0;
            sb.Append(c);
        }
        // a dropped command keeps the spaces on both sides of it
        return sb.Length > 0 && s.Contains(LatexDecoder.Barrier) ? sb.Replace(LatexDecoder.Barrier.ToString(), "").ToString() : sb.ToString();
    }

    private static void Walk(string s, int start, int end, bool protect, List<Piece> pieces, int depth)
    {
        int run = start, i = start;
        void Flush(int upTo)
        {
            if (upTo > run) pieces.Add(new Piece(Decode(s, run, upTo - run), protect ? Kind.Protected : Kind.Text));
        }
        while (i < end)
        {
            char c = s[i];
            if (c == '{' && depth < MaxDepth)
            {
                int close = Match(s, i, end);
                Flush(i);
                // {\em …} / {\it …} / {\bf …}: a protected group in a font.
                var (tag, after) = Switch(s, i + 1, close);
                // a line break after a font switch ({\em⏎ x}) is a space of its own, which pandoc puts before the group's
                // text (the barrier keeps it from merging with a space before the group)
                if (LineBreakAfterSwitch(s, i + 1, close))
                {
                    pieces.Add(new Piece(LatexDecoder.Barrier.ToString(), Kind.Text));
                    pieces.Add(new Piece(" ", protect ? Kind.Protected : Kind.Text));
                }
                if (tag is not null) pieces.Add(new Piece(tag, Kind.Tag));
                Walk(s, after, close, protect: true, pieces, depth + 1);
                if (tag is not null) pieces.Add(new Piece(Close(tag), Kind.Tag));
                i = run = Math.Min(end, close + 1);
                continue;
            }
            if (c == '\\' && i + 1 < end)
            {
                if (char.IsAsciiLetter(s[i + 1]))
                {
                    int j = i + 1;
                    while (j < end && char.IsAsciiLetter(s[j])) j++;
                    var name = s.AsSpan(i + 1, j - i - 1);
                    int k = j;
                    while (k < end && s[k] is ' ' or '\n' or '\r' or '\t') k++;
                    // \enquote*{…}: the star belongs to the command, its argument to the decoder
                    if (k + 1 < end && s[k] == '*' && s[k + 1] == '{' && LatexDialect.Pandoc.Quote.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name)) k++;
                    var tag = FontTag(name);
                    if (tag is not null && k < end && s[k] == '{' && depth < MaxDepth)
                    {
                        int close = Match(s, k, end);
                        Flush(i);
                        pieces.Add(new Piece(tag, Kind.Tag));
                        // biblatex's \mkbib… commands are unknown to pandoc's LaTeX reader: their argument is a protected span
                        Walk(s, k + 1, close, protect || name.StartsWith("mkbib"), pieces, depth + 1);
                        pieces.Add(new Piece(Close(tag), Kind.Tag));
                        i = run = Math.Min(end, close + 1);
                        continue;
                    }
                    if (IsUnknown(name))
                    {
                        // pandoc keeps a command it does not know as raw LaTeX, which CSL output drops: nothing
                        // is left of it but the spaces on both sides
                        Flush(i);
                        var span = s.AsSpan(0, end);
                        int after = j;
                        while (after < end && s[after] is ' ' or '\t') after++;
                        LatexDecoder.SkipRawArguments(span, ref after);
                        pieces.Add(new Piece(LatexDecoder.Barrier.ToString(), Kind.Text));
                        i = run = after;
                        continue;
                    }
                    if (k < end && s[k] == '{' && depth < MaxDepth && name is "url" or "nolinkurl")
                    {
                        // pandoc reads \url{…} as a link whose text citeproc re-cases like any other text
                        Flush(i);
                        int close = Match(s, k, end);
                        pieces.Add(new Piece(LatexDecoder.DecodeVerbatim(s.AsSpan(k + 1, Math.Max(0, close - k - 1))), protect ? Kind.Protected : Kind.Link));
                        i = run = Math.Min(end, close + 1);
                        continue;
                    }
                    if (k < end && s[k] == '{' && depth < MaxDepth && ProtectsArgument(name))
                    {
                        // code (\texttt, \url) and biblatex's spans (\mkbibquote, \autocap…) are not re-cased
                        Flush(i);
                        int close = Match(s, k, end);
                        var inner = name is "ensuremath" ? s[(k + 1)..close].Trim()
                            : Decode(s, k + 1, Math.Max(0, close - k - 1)).Trim();
                        pieces.Add(new Piece(name switch
                        {
                            "mkbibquote" => "“" + inner + "”",
                            "mkbibparens" => "(" + inner + ")",
                            "mkbibbrackets" => "[" + inner + "]",
                            _ => inner,
                        }, Kind.Protected));
                        i = run = Math.Min(end, close + 1);
                        continue;
                    }
                    if (LatexDialect.Pandoc.Symbols.ContainsKey(name.ToString())) { i = j; continue; }
                    i = LatexDialect.Pandoc.IsLetterAccent(name) ? j : k;
                }
                else i += 2;
                // a command's braced arguments belong to it (accents, \url{…}): the decoder reads them
                while (i < end && s[i] == '{') i = Math.Min(end, Match(s, i, end) + 1);
                continue;
            }
            if (c == '%')
            {
                // pandoc's LaTeX reader: a comment to the end of the line (the line break stays, as a space)
                Flush(i);
                int eol = s.IndexOf('\n', i, end - i);
                i = run = eol < 0 ? end : eol;
                continue;
            }
            if (c == '$')
            {
                // math stays TeX, as pandoc writes it, and is never re-cased
                bool display = i + 1 < end && s[i + 1] == '$';
                int open = i + (display ? 2 : 1);
                int close = s.IndexOf(display ? "$$" : "$", open, end - open, StringComparison.Ordinal);
                Flush(i);
                pieces.Add(new Piece((close < 0 ? s[open..end] : s[open..close]).Trim(), Kind.Protected));
                i = run = close < 0 ? end : close + (display ? 2 : 1);
                continue;
            }
            i++;
        }
        Flush(end);
    }

    /// <summary>Commands pandoc's LaTeX reader does not know: it drops them with their arguments.</summary>
    private static bool IsUnknown(ReadOnlySpan<char> name)
    {
        var d = LatexDialect.Pandoc;
        return !(d.IsLetterAccent(name) || d.Symbols.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(name)
            || d.Quote.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name)
            || d.DropFirstArgument.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name)
            || d.KeepArguments!.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name));
    }

    /// <summary>Commands whose argument pandoc does not re-case: code, math and biblatex's plain spans.</summary>
    private static bool ProtectsArgument(ReadOnlySpan<char> name) =>
        name is "texttt" or "textnhtt" or "mkbibquote" or "mkbibparens" or "mkbibbrackets" or "autocap"
            or "ensuremath";

    private static string? FontTag(ReadOnlySpan<char> name) => name switch
    {
        "emph" or "textit" or "mkbibemph" or "mkbibitalic" or "textsl" => "<i>",
        "textbf" or "mkbibbold" => "<b>",
        "textsc" => SmallCaps,
        "textsuperscript" or "mkbibsuperscript" => "<sup>",
        "textsubscript" or "mkbibsubscript" => "<sub>",
        _ => null,
    };

    private static (string? Tag, int After) Switch(string s, int at, int end)
    {
        if (at + 1 >= end || s[at] != '\\') return (null, at);
        int j = at + 1;
        while (j < end && char.IsAsciiLetter(s[j])) j++;
        string? tag = s.AsSpan(at + 1, j - at - 1) switch
        {
            "em" or "it" or "itshape" or "sl" => "<i>",
            "bf" or "bfseries" => "<b>",
            _ => null,
        };
        while (j < end && s[j] is ' ' or '\n' or '\r' or '\t') j++;
        return tag is null ? (null, at) : (tag, j);
    }

    /// <summary>The group at <paramref name="at"/> starts with a font switch (<c>\em</c>, <c>\tt</c>…) followed by
    /// spaces holding a line break.</summary>
    private static bool LineBreakAfterSwitch(string s, int at, int end)
    {
        if (at + 1 >= end || s[at] != '\\') return false;
        int j = at + 1;
        while (j < end && char.IsAsciiLetter(s[j])) j++;
        if (!FontSwitches.Contains(s[(at + 1)..j])) return false;
        bool lineBreak = false;
        for (; j < end && char.IsWhiteSpace(s[j]); j++) lineBreak |= s[j] == '\n';
        return lineBreak;
    }

    private static readonly HashSet<string> FontSwitches =
    [
        "em", "it", "sl", "bf", "tt", "rm", "sf", "sc", "itshape", "slshape", "scshape", "bfseries", "ttfamily",
        "rmfamily", "sffamily", "upshape", "mdseries", "normalfont",
    ];

    private static string Close(string tag) => tag == SmallCaps ? "</span>" : "</" + tag[1..];

    /// <summary>The index of the brace closing the one at <paramref name="open"/>, or <paramref name="end"/>.</summary>
    private static int Match(string s, int open, int end)
    {
        int depth = 0;
        for (int i = open; i < end; i++)
        {
            char c = s[i];
            if (c == '\\') { i++; continue; }
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return end;
    }

    /// <summary>Decodes a run, keeping one space where the raw run began or ended with whitespace.</summary>
    private static string Decode(string s, int start, int length)
    {
        var raw = s.AsSpan(start, length);
        if (raw.Contains("\n", StringComparison.Ordinal) && ParagraphBreak().IsMatch(raw))
        {
            // paragraphs decode one by one; a blank line stays, for Collapse to join them as pandoc does
            var paragraphs = ParagraphBreak().Split(raw.ToString());
            return string.Join("\n\n", paragraphs.Select((p, i) => p.Length == 0 ? "" : Decode(p, 0, p.Length)));
        }
        var text = LatexDecoder.DecodeLikePandoc(s, start, length);
        if (text.Length == 0) return char.IsWhiteSpace(s[start]) || char.IsWhiteSpace(s[start + length - 1]) ? " " : "";
        if (char.IsWhiteSpace(s[start])) text = " " + text;
        if (char.IsWhiteSpace(s[start + length - 1]) && !SpacesEndingControlWord(raw)) text += " ";
        return text;
    }

    /// <summary>The run ends with spaces (no line break) right after a control word (<c>\slash {TeX}</c>): pandoc's
    /// tokenizer takes them as the end of the command's name, not as a space.</summary>
    private static bool SpacesEndingControlWord(ReadOnlySpan<char> raw)
    {
        int i = raw.Length;
        while (i > 0 && raw[i - 1] is ' ' or '\t') i--;
        if (i == raw.Length || i == 0 || !char.IsAsciiLetter(raw[i - 1])) return false;
        int j = i;
        while (j > 0 && char.IsAsciiLetter(raw[j - 1])) j--;
        return j > 0 && raw[j - 1] == '\\' && (j < 2 || raw[j - 2] != '\\');
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\n[ \t\r]*\n\s*")]
    private static partial System.Text.RegularExpressions.Regex ParagraphBreak();

    private enum State { Start, StartSentence, AfterWordEnd, AfterWordChar, AfterSentenceEnd, BeforeLastWord }

    /// <summary>citeproc's sentence case over the pieces (its <c>caseTransform</c> state machine): a capitalized
    /// word ("Word") is lower-cased unless it starts the title or a sentence (after ". ", "? ", "! ", ": "), where a
    /// lower-case word is capitalized; the last word is never capitalized; mixed-case and all-caps words, math and
    /// protected (braced) text stay as written.</summary>
    private static void SentenceCase(List<Piece> pieces)
    {
        var builders = new StringBuilder?[pieces.Count];
        CaseWalk(pieces, (p, start, end, replacement) =>
        {
            if (pieces[p].Kind is not (Kind.Text or Kind.Link)) return;
            var sb = builders[p] ??= new StringBuilder(pieces[p].Text.Length);
            if (replacement is null) sb.Append(pieces[p].Text, start, end - start);
            else sb.Append(replacement);
        });
        for (int p = 0; p < pieces.Count; p++)
            if (builders[p] is { } sb) pieces[p] = pieces[p] with { Text = sb.ToString() };
    }

    /// <summary>The words sentence case would change in plain text made of <paramref name="segments"/> (the runs
    /// between markup tags, in order), as (segment, start, length): the BibTeX writer braces exactly these, so a
    /// title it writes reads back as it was.</summary>
    internal static List<(int Segment, int Start, int Length)> WordsSentenceCaseChanges(IReadOnlyList<string> segments)
    {
        var pieces = segments.Select(s => new Piece(s, Kind.Text)).ToList();
        var changed = new List<(int, int, int)>();
        CaseWalk(pieces, (p, start, end, replacement) =>
        {
            if (replacement is not null && string.CompareOrdinal(replacement, 0, pieces[p].Text, start, end - start) != 0)
                changed.Add((p, start, end - start));
        });
        return changed;
    }

    /// <summary>citeproc's <c>caseTransform</c> state machine over text and protected pieces (tags skipped): calls
    /// <paramref name="emit"/> for every run of a piece in order, with the transformed word for a word (null for
    /// any other character).</summary>
    private static void CaseWalk(List<Piece> pieces, Action<int, int, int, string?> emit)
    {
        var state = State.Start;
        // the last word of the whole value (citeproc's BeforeLastWord)
        int lastPiece = -1, lastWord = -1;
        for (int p = pieces.Count - 1; p >= 0 && lastPiece < 0; p--)
        {
            if (pieces[p].Kind == Kind.Tag) continue;
            var t = pieces[p].Text;
            for (int i = t.Length - 1; i >= 0; i--)
            {
                if (!IsWordChar(t[i])) continue;
                int j = i;
                while (j > 0 && !char.IsWhiteSpace(t[j - 1])) j--;
                lastPiece = p; lastWord = j;
                break;
            }
        }
        // citeproc does not re-case inside small caps, superscripts and subscripts (it only reads their text)
        int untouched = 0;
        bool inSpace = false; // the last character was a space (runs split across pieces are one space)
        for (int p = 0; p < pieces.Count; p++)
        {
            var piece = pieces[p];
            if (piece.Kind == Kind.Tag)
            {
                if (piece.Text is SmallCaps or "<sup>" or "<sub>") untouched++;
                else if (untouched > 0 && piece.Text is "</span>" or "</sup>" or "</sub>") untouched--;
                continue;
            }
            var text = piece.Text;
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (IsWordChar(c))
                {
                    int j = i;
                    while (j < text.Length && IsWordChar(text[j])) j++;
                    bool last = p > lastPiece || p == lastPiece && i >= lastWord;
                    inSpace = false;
                    emit(p, i, j, untouched > 0 ? text[i..j] : Transform(text[i..j], last && state != State.Start ? State.BeforeLastWord : state));
                    state = State.AfterWordChar;
                    i = j;
                    continue;
                }
                if (char.IsWhiteSpace(c))
                {
                    // a run of spaces is one step of citeproc's state machine (a dropped command's barrier splits it)
                    int j = i;
                    while (j < text.Length && char.IsWhiteSpace(text[j])) j++;
                    emit(p, i, j, null);
                    if (!inSpace) state = state == State.AfterSentenceEnd ? State.StartSentence : State.AfterWordEnd;
                    inSpace = true;
                    i = j;
                    continue;
                }
                inSpace = false;
                emit(p, i, i + 1, null);
                if (c == LatexDecoder.Barrier) { i++; continue; }
                if (c is '.' or '?' or '!' or ':') state = State.AfterSentenceEnd;
                else if (c is '-' or '/' or '–' or '—') state = State.AfterWordEnd;
                i++;
            }
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is
        System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    private static string Transform(string word, State state)
    {
        bool start = state is State.Start or State.StartSentence;
        bool capitalized = char.IsUpper(word[0]) && AllLower(word, 1);
        if (capitalized && !start) return word.ToLowerInvariant();
        if (start && (capitalized || AllLower(word, 0))) return char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();
        return word;
    }

    private static bool AllLower(string word, int from)
    {
        for (int i = from; i < word.Length; i++)
            if (!char.IsLower(word[i])) return false;
        return true;
    }
}
