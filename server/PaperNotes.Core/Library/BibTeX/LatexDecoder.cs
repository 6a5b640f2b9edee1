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
    internal static string Decode(string source, int start, int length)
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
            DecodeInto(ref sb, span, ref pos, stopAtClose: false, nesting: 0);
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
    private static void DecodeInto(ref CharBuffer sb, ReadOnlySpan<char> s, ref int pos, bool stopAtClose, int nesting)
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
                    Command(ref sb, s, ref pos, nesting);
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

    private static void Command(ref CharBuffer sb, ReadOnlySpan<char> s, ref int pos, int nesting)
    {
        int start = pos + 1;
        if (start >= s.Length) { pos = s.Length; return; }
        if (!char.IsAsciiLetter(s[start]))
        {
            char sym = s[start];
            pos = start + 1;
            if (LatexSymbols.IsSymbolAccent(sym)) { Accent(ref sb, sym, s, ref pos, skipSpace: false, nesting); return; }
            if (LatexSymbols.Symbols.TryGetValue(sym.ToString(), out var text)) { AppendSymbol(ref sb, text); return; }
            if (char.IsWhiteSpace(sym)) { if (sb.Length > 0 && sb.Last != ' ') sb.Append(' '); return; }
            sb.Append(sym);
            return;
        }
        int end = start;
        while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
        var name = s[start..end];
        pos = end;
        while (pos < s.Length && s[pos] is ' ' or '\n' or '\r' or '\t') pos++; // TeX skips spaces after a control word
        if (name.Length == 1 && LatexSymbols.IsLetterAccent(name.ToString()))
        {
            Accent(ref sb, name[0], s, ref pos, skipSpace: true, nesting);
            return;
        }
        var lookup = LatexSymbols.Symbols.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out var symbol))
        {
            AppendSymbol(ref sb, symbol);
            if (pos + 1 < s.Length && s[pos] == '{' && s[pos + 1] == '}') pos += 2; // \ss{}
            return;
        }
        if (pos < s.Length && s[pos] == '{' && nesting < MaxNesting && LatexSymbols.Quote.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
        {
            pos++;
            sb.Append('“');
            DecodeInto(ref sb, s, ref pos, stopAtClose: true, nesting + 1);
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
                sb.Append(LatexSymbols.BibStrings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var str) ? str : key);
                return;
            }
        }
        var dropLookup = LatexSymbols.DropFirstArgument.GetAlternateLookup<ReadOnlySpan<char>>();
        if (dropLookup.Contains(name))
        {
            SkipOptional(s, ref pos);
            if (pos < s.Length && s[pos] == '{') SkipGroup(s, ref pos);
            return;
        }
        SkipOptional(s, ref pos); // unknown command: name goes, arguments are decoded as text
    }

    private static void AppendSymbol(ref CharBuffer sb, string text)
    {
        if (text == " ") { if (sb.Length > 0 && sb.Last != ' ') sb.Append(' '); return; }
        sb.Append(text);
    }

    private static void Accent(ref CharBuffer sb, char accent, ReadOnlySpan<char> s, ref int pos, bool skipSpace, int nesting)
    {
        if (skipSpace) while (pos < s.Length && s[pos] == ' ') pos++;
        if (pos >= s.Length) { LatexSymbols.AppendAccented(ref sb, accent, []); return; }
        char c = s[pos];
        if (c is '{' or '\\' && nesting >= MaxNesting)
        {
            LatexSymbols.AppendAccented(ref sb, accent, []); // the caller's loop reads the argument as plain text
            return;
        }
        if (c == '{')
        {
            pos++;
            var inner = new CharBuffer(8);
            try
            {
                DecodeInto(ref inner, s, ref pos, stopAtClose: true, nesting + 1);
                LatexSymbols.AppendAccented(ref sb, accent, inner.Written);
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
                Command(ref inner, s, ref pos, nesting + 1);
                LatexSymbols.AppendAccented(ref sb, accent, inner.Written);
            }
            finally
            {
                inner.Dispose();
            }
            return;
        }
        if (c is '}' or ' ' or '\n' or '\r' or '\t')
        {
            LatexSymbols.AppendAccented(ref sb, accent, []);
            return;
        }
        pos++;
        LatexSymbols.AppendAccented(ref sb, accent, [c]);
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
