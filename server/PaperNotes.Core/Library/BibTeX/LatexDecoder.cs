using System.Buffers;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// Turns the LaTeX of a BibTeX value into Unicode text for display: accents, named symbols, dashes,
/// <c>~</c> (no-break space, as pandoc), quotes; formatting commands and protective braces vanish and
/// unknown commands are dropped while their argument text is kept. Whitespace runs collapse to one
/// space. Never throws.
/// </summary>
public static class LatexDecoder
{
    private static readonly SearchValues<char> Special = SearchValues.Create("\\{}~-$\n\r\t'`");

    public static string Decode(string latex) => latex is null ? "" : Decode(latex, 0, latex.Length);

    /// <summary>Decodes <c>source[start..start+length]</c>; a slice with nothing to decode is returned as a plain
    /// substring (or <paramref name="source"/> itself when the slice is all of it).</summary>
    internal static string Decode(string source, int start, int length) => Decode(source, start, length, LatexDialect.Display);

    /// <summary>Where pandoc dropped a command it does not know: no text, but the spaces on both sides of it
    /// stay (<c>Using {\MF} for</c> is "Using  for"). Callers remove it once spaces are settled.</summary>
    public const char Barrier = '\uE000';

    /// <summary>Decodes as pandoc's LaTeX reader (the CSL view): only the commands pandoc knows; any other is
    /// dropped with its arguments and leaves a <see cref="Barrier"/>.</summary>
    internal static string DecodeLikePandoc(string source, int start, int length) => Decode(source, start, length, LatexDialect.Pandoc);

    internal static string DecodeLikePandoc(string latex) => DecodeLikePandoc(latex, 0, latex.Length);

    private static string Decode(string source, int start, int length, LatexDialect dialect)
    {
        var span = source.AsSpan(start, length);
        int i = 0;
        while (true)
        {
            int k = span[i..].IndexOfAny(Special);
            if (k < 0)
            {
                var trimmed = span.Trim(' ');
                if (trimmed.Length == source.Length) return source;
                return trimmed.Length == 0 ? "" : trimmed.ToString();
            }
            i += k;
            char c = span[i];
            bool doubled = i + 1 < span.Length && span[i + 1] == c;
            if ((c == '-' || c == '\'') && !doubled) { i++; continue; }
            break;
        }
        var sb = new CharBuffer(span.Length);
        try
        {
            int first = 0;
            while (first < i && span[first] == ' ') first++;
            AppendText(ref sb, span[first..i]);
            int pos = i;
            DecodeInto(ref sb, span, ref pos, stopAtClose: false, nesting: 0, dialect);
            sb.TrimEnd();
            return sb.ToString();
        }
        finally
        {
            sb.Dispose();
        }
    }

    /// <summary>Decodes a verbatim field (url, doi, eprint): braces go, <c>\_</c>-style escapes lose their backslash, whitespace goes.</summary>
    public static string DecodeVerbatim(string value) => DecodeVerbatim(value.AsSpan());

    internal static string DecodeVerbatim(ReadOnlySpan<char> value)
    {
        var span = value.Trim();
        if (span.IndexOfAny("{}\\ \n\r\t") < 0) return span.ToString();
        var sb = new CharBuffer(span.Length);
        try
        {
            for (int i = 0; i < span.Length; i++)
            {
                char c = span[i];
                if (c is '{' or '}' or ' ' or '\n' or '\r' or '\t') continue;
                if (c == '\\' && i + 1 < span.Length)
                {
                    char n = span[i + 1];
                    if (!char.IsAsciiLetter(n)) { sb.Append(n); i++; continue; }
                    int j = i + 1;
                    while (j < span.Length && char.IsAsciiLetter(span[j])) j++;
                    i = j - 1; // drop \url and friends, keep their argument
                    continue;
                }
                sb.Append(c);
            }
            return sb.ToString();
        }
        finally
        {
            sb.Dispose();
        }
    }

    /// <summary>Accent arguments and quote commands recurse; deeper than this they are read as plain groups, so
    /// 100k nested <c>\'{</c> cannot overflow the stack (which would kill the process).</summary>
    private const int MaxNesting = 64;

    /// <summary>Decodes from <paramref name="pos"/>; with <paramref name="stopAtClose"/> stops after the '}' closing the current group.</summary>
    private static void DecodeInto(ref CharBuffer sb, ReadOnlySpan<char> s, ref int pos, bool stopAtClose, int nesting, LatexDialect dialect)
    {
        int depth = 0;
        while (pos < s.Length)
        {
            int k = s[pos..].IndexOfAny(Special);
            if (k < 0) { AppendText(ref sb, s[pos..]); pos = s.Length; return; }
            if (k > 0) { AppendText(ref sb, s.Slice(pos, k)); pos += k; }
            char c = s[pos];
            switch (c)
            {
                case '{':
                    depth++; pos++;
                    break;
                case '}':
                    pos++;
                    if (depth == 0 && stopAtClose) return;
                    if (depth > 0) depth--;
                    break;
                case '\\':
                    Command(ref sb, s, ref pos, nesting, dialect);
                    break;
                case '~':
                    sb.Append('\u00A0'); pos++;
                    break;
                case '$':
                    pos++; // math stays readable: its commands decode, the dollars go
                    break;
                case '-':
                    if (pos + 2 < s.Length && s[pos + 1] == '-' && s[pos + 2] == '-') { sb.Append('—'); pos += 3; }
                    else if (pos + 1 < s.Length && s[pos + 1] == '-') { sb.Append('–'); pos += 2; }
                    else { sb.Append('-'); pos++; }
                    break;
                case '`':
                    if (pos + 1 < s.Length && s[pos + 1] == '`') { sb.Append('“'); pos += 2; }
                    else { sb.Append('‘'); pos++; }
                    break;
                case '\'':
                    if (pos + 1 < s.Length && s[pos + 1] == '\'') { sb.Append('”'); pos += 2; }
                    else { sb.Append('\''); pos++; }
                    break;
                default: // whitespace: one space for the whole run
                    if (sb.Length > 0 && sb.Last != ' ') sb.Append(' ');
                    pos++;
                    while (pos < s.Length && s[pos] is ' ' or '\n' or '\r' or '\t') pos++;
                    break;
            }
        }
    }

    private static void AppendText(ref CharBuffer sb, ReadOnlySpan<char> text)
    {
        // Collapse runs of spaces (the only whitespace not in Special); words between single spaces copy in one go.
        if (sb.Length == 0 || sb.Last == ' ') text = text.TrimStart(' ');
        while (true)
        {
            int k = text.IndexOf("  ", StringComparison.Ordinal);
            if (k < 0) { sb.Append(text); return; }
            sb.Append(text[..(k + 1)]);
            text = text[(k + 1)..].TrimStart(' ');
        }
    }

    private static void Command(ref CharBuffer sb, ReadOnlySpan<char> s, ref int pos, int nesting, LatexDialect dialect)
    {
        int start = pos + 1;
        if (start >= s.Length) { pos = s.Length; return; }
        bool pandoc = dialect.KeepArguments is not null;
        if (!char.IsAsciiLetter(s[start]))
        {
            char sym = s[start];
            pos = start + 1;
            if (dialect.IsSymbolAccent(sym)) { Accent(ref sb, sym, s, ref pos, skipSpace: false, nesting, dialect); return; }
            if (pandoc && char.IsWhiteSpace(sym))
            {
                // a control space: pandoc's tokenizer takes the whitespace after it too
                while (pos < s.Length && s[pos] is ' ' or '\t') pos++;
                sb.Append('\u00A0');
                return;
            }
            if (dialect.Symbols.TryGetValue(sym.ToString(), out var text)) { AppendSymbol(ref sb, text); return; }
            if (char.IsWhiteSpace(sym)) { if (sb.Length > 0 && sb.Last != ' ') sb.Append(' '); return; }
            if (pandoc) { SkipRawArguments(s, ref pos); sb.Append(Barrier); return; }
            sb.Append(sym);
            return;
        }
        int end = start;
        while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
        var name = s[start..end];
        pos = end;
        // TeX skips spaces after a control word (pandoc's tokenizer only spaces and tabs, not a line break)
        while (pos < s.Length && (s[pos] is ' ' or '\t' || !pandoc && s[pos] is '\n' or '\r')) pos++;
        if (dialect.IsLetterAccent(name))
        {
            Accent(ref sb, name.Length == 1 ? name[0] : LongAccent(name), s, ref pos, skipSpace: true, nesting, dialect);
            return;
        }
        var lookup = dialect.Symbols.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out var symbol))
        {
            AppendSymbol(ref sb, symbol);
            if (pos + 1 < s.Length && s[pos] == '{' && s[pos + 1] == '}') pos += 2; // \ss{}
            return;
        }
        // \enquote*{…} is the inner quotation, written alike at the outer level
        int quoteAt = pos < s.Length && s[pos] == '*' ? pos + 1 : pos;
        if (quoteAt < s.Length && s[quoteAt] == '{' && nesting < MaxNesting && dialect.Quote.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
        {
            pos = quoteAt + 1;
            sb.Append('“');
            DecodeInto(ref sb, s, ref pos, stopAtClose: true, nesting + 1, dialect);
            sb.Append('”');
            return;
        }
        if (pos < s.Length && s[pos] == '{' && name.SequenceEqual("bibstring"))
        {
            int close = s[pos..].IndexOf('}');
            if (close > 0)
            {
                var key = s.Slice(pos + 1, close - 1).Trim();
                pos += close + 1;
                sb.Append(dialect.BibStrings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var str) ? str : key);
                return;
            }
        }
        var dropLookup = dialect.DropFirstArgument.GetAlternateLookup<ReadOnlySpan<char>>();
        if (dropLookup.Contains(name))
        {
            SkipOptional(s, ref pos);
            if (pos < s.Length && s[pos] == '{') SkipGroup(s, ref pos);
            return;
        }
        if (pandoc && !dialect.KeepArguments!.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
        {
            // pandoc keeps a command it does not know as raw LaTeX, which CSL output drops
            SkipRawArguments(s, ref pos);
            sb.Append(Barrier);
            return;
        }
        SkipOptional(s, ref pos); // unknown command: name goes, arguments are decoded as text
    }

    /// <summary>The accent character standing for pandoc's long-named accent commands.</summary>
    private static char LongAccent(ReadOnlySpan<char> name) => name switch
    {
        "textogonekcentered" => 'k',
        "newtie" => 'f',
        _ => 'O', // \textcircled
    };

    /// <summary>What pandoc's <c>getRawCommand</c> takes after an unknown command's name: a star, options in
    /// brackets (with the whitespace around them), a TeX dimension (<c>12pt</c>, <c>3.0</c>), and every braced
    /// group that follows immediately.</summary>
    internal static void SkipRawArguments(ReadOnlySpan<char> s, ref int pos)
    {
        if (pos < s.Length && s[pos] == '*') { pos++; SkipSpace(s, ref pos); }
        while (true)
        {
            int at = pos;
            SkipSpace(s, ref at);
            if (at >= s.Length || s[at] != '[') break;
            int close = s[at..].IndexOf(']');
            if (close < 0) break;
            pos = at + close + 1;
            SkipSpace(s, ref pos);
        }
        SkipDimension(s, ref pos);
        while (pos < s.Length && s[pos] == '{') SkipGroup(s, ref pos);
    }

    private static void SkipSpace(ReadOnlySpan<char> s, ref int pos)
    {
        while (pos < s.Length && s[pos] is ' ' or '\t') pos++;
        if (pos < s.Length && s[pos] == '\n')
        {
            pos++;
            while (pos < s.Length && s[pos] is ' ' or '\t') pos++;
        }
    }

    private static void SkipDimension(ReadOnlySpan<char> s, ref int pos)
    {
        int at = pos;
        SkipSpace(s, ref at);
        if (at < s.Length && s[at] == '=') at++;
        if (at < s.Length && s[at] == '-') at++;
        int word = at;
        while (at < s.Length && char.IsLetterOrDigit(s[at])) at++;
        if (at == word) return;
        if (at + 1 < s.Length && s[at] == '.' && char.IsLetterOrDigit(s[at + 1]))
        {
            at++;
            while (at < s.Length && char.IsLetterOrDigit(s[at])) at++;
        }
        var text = s[word..at];
        int digits = 0;
        while (digits < text.Length && (char.IsAsciiDigit(text[digits]) || text[digits] == '.')) digits++;
        if (digits == 0) return;
        var unit = text[digits..];
        if (unit is "" or "pt" or "pc" or "in" or "bp" or "cm" or "mm" or "dd" or "cc" or "sp") pos = at;
    }

    private static void AppendSymbol(ref CharBuffer sb, string text)
    {
        if (text == " ") { if (sb.Length > 0 && sb.Last != ' ') sb.Append(' '); return; }
        sb.Append(text);
    }

    private static void Accent(ref CharBuffer sb, char accent, ReadOnlySpan<char> s, ref int pos, bool skipSpace, int nesting, LatexDialect dialect)
    {
        if (skipSpace) while (pos < s.Length && s[pos] == ' ') pos++;
        if (pos >= s.Length) { AppendAccented(ref sb, accent, dialect, []); return; }
        char c = s[pos];
        if (c is '{' or '\\' && nesting >= MaxNesting)
        {
            AppendAccented(ref sb, accent, dialect, []); // the caller's loop reads the argument as plain text
            return;
        }
        if (c == '{')
        {
            pos++;
            var inner = new CharBuffer(8);
            try
            {
                DecodeInto(ref inner, s, ref pos, stopAtClose: true, nesting + 1, dialect);
                AppendAccented(ref sb, accent, dialect, inner.Written);
            }
            finally
            {
                inner.Dispose();
            }
            return;
        }
        if (c == '\\')
        {
            var inner = new CharBuffer(8);
            try
            {
                Command(ref inner, s, ref pos, nesting + 1, dialect);
                AppendAccented(ref sb, accent, dialect, inner.Written);
            }
            finally
            {
                inner.Dispose();
            }
            return;
        }
        if (c is '}' or ' ' or '\n' or '\r' or '\t')
        {
            AppendAccented(ref sb, accent, dialect, []);
            return;
        }
        pos++;
        AppendAccented(ref sb, accent, dialect, [c]);
    }

    private static void AppendAccented(ref CharBuffer sb, char accent, LatexDialect dialect, scoped ReadOnlySpan<char> baseText)
    {
        if (!dialect.NormalizeAccents) { LatexSymbols.AppendAccented(ref sb, accent, baseText); return; }
        char mark = accent switch
        {
            '\'' => '\u0301', '`' => '\u0300', '^' => '\u0302', '~' => '\u0303', '"' => '\u0308', '.' => '\u0307',
            '=' => '\u0304', '|' => '\u030D', 'b' => '\u0331', 'c' => '\u0327', 'G' => '\u030F', 'h' => '\u0309',
            'd' => '\u0323', 'f' => '\u0311', 'r' => '\u030A', 't' => '\u0361', 'U' => '\u030E', 'v' => '\u030C',
            'u' => '\u0306', 'k' => '\u0328', _ => '\u20DD',
        };
        if (baseText.IsEmpty)
        {
            // pandoc's fallback for an accent on nothing
            sb.Append(accent switch { '`' => '`', '\'' => '\'', '^' => '^', '~' => '~', _ => mark });
            return;
        }
        // pandoc normalizes to the composed letter where there is one (not for a dotless ı)
        char composed = LatexSymbols.Composed(accent, baseText[0]);
        if (composed != '\0') sb.Append(composed);
        else
        {
            sb.Append(baseText[0]);
            sb.Append(mark);
        }
        sb.Append(baseText[1..]);
    }

    private static void SkipOptional(ReadOnlySpan<char> s, ref int pos)
    {
        if (pos >= s.Length || s[pos] != '[') return;
        int close = s[pos..].IndexOf(']');
        if (close > 0) pos += close + 1;
    }

    private static void SkipGroup(ReadOnlySpan<char> s, ref int pos)
    {
        int depth = 0;
        for (; pos < s.Length; pos++)
        {
            if (s[pos] == '{') depth++;
            else if (s[pos] == '}' && --depth == 0) { pos++; return; }
            else if (s[pos] == '\\') pos++;
        }
    }
}
