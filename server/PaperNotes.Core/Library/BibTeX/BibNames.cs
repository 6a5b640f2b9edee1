namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// Splits a BibTeX name list (the raw LaTeX of author/editor) into people, as BibTeX does: names are
/// separated by "and" at brace depth 0; each name is "First von Last", "von Last, First" or
/// "von Last, Jr, First"; a name that is one braced group is a literal (corporate) name; BibLaTeX's
/// "family=..., given=..., prefix=..., suffix=..." form is understood. "others" is dropped. Parts are
/// decoded to Unicode.
/// </summary>
public static class BibNames
{
    public static IReadOnlyList<PersonName> Parse(string value) => Parse(value.AsSpan(), out _);

    /// <summary>As <see cref="Parse(string)"/>; <paramref name="tooManyCommas"/> tells that a name had more than two commas.</summary>
    internal static IReadOnlyList<PersonName> Parse(ReadOnlySpan<char> span, out bool tooManyCommas) =>
        Parse(span, null, out tooManyCommas);

    /// <summary>The names as pandoc reads them for the CSL view: parts decoded by pandoc's LaTeX reader
    /// (<see cref="LatexDialect.Pandoc"/>), and in BibLaTeX's "family=…, given=…" form keys it does not know are
    /// skipped (a name of only such keys, e.g. a per-name option, is no name).</summary>
    internal static IReadOnlyList<PersonName> ParseLikePandoc(ReadOnlySpan<char> span)
    {
        var result = new List<PersonName>(4);
        bool tooManyCommas = false;
        foreach (var raw in Split(span)) AddName(result, span[raw], ref tooManyCommas, LatexDialect.Pandoc);
        return result;
    }

    private static List<Range> Split(ReadOnlySpan<char> span)
    {
        var parts = new List<Range>(4);
        int start = 0, depth = 0;
        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            if (c == '{') depth++;
            else if (c == '}') { if (depth > 0) depth--; }
            else if (depth == 0 && IsSpace(c) && IsAndAt(span, i + 1))
            {
                parts.Add(start..i);
                i += 4;
                start = i;
                i--;
            }
        }
        parts.Add(start..span.Length);
        return parts;
    }

    /// <summary>As above, sharing each person parsed from the same raw text through <paramref name="pool"/>.</summary>
    internal static IReadOnlyList<PersonName> Parse(ReadOnlySpan<char> span, StringPool<PersonName>? pool, out bool tooManyCommas)
    {
        tooManyCommas = false;
        var result = new List<PersonName>(4);
        foreach (var raw in Split(span)) AddPooled(result, span[raw], pool, ref tooManyCommas);
        return result.Count == 0 ? [] : result.ToArray();
    }

    private static void AddPooled(List<PersonName> result, ReadOnlySpan<char> raw, StringPool<PersonName>? pool, ref bool tooManyCommas)
    {
        raw = raw.Trim();
        if (pool is null || raw.IsEmpty)
        {
            AddName(result, raw, ref tooManyCommas, LatexDialect.Display);
            return;
        }
        bool flagged = false;
        var person = pool.Get(raw, text =>
        {
            var one = new List<PersonName>(1);
            bool commas = false;
            AddName(one, text, ref commas, LatexDialect.Display);
            flagged = commas;
            // "others" and empty names give nothing: nothing to share either.
            return one.Count == 1 ? (one[0], !commas) : (null!, false);
        });
        if (flagged) tooManyCommas = true;
        if (person is not null) result.Add(person);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '~';

    private static bool IsAndAt(ReadOnlySpan<char> s, int i) =>
        i + 3 < s.Length && (s[i] | 0x20) == 'a' && (s[i + 1] | 0x20) == 'n' && (s[i + 2] | 0x20) == 'd' && IsSpace(s[i + 3]);

    private static void AddName(List<PersonName> result, ReadOnlySpan<char> raw, ref bool tooManyCommas, LatexDialect dialect)
    {
        raw = raw.Trim();
        if (raw.IsEmpty || raw.Equals("others", StringComparison.OrdinalIgnoreCase)) return;
        if (raw[0] == '{' && MatchingClose(raw, 0) == raw.Length - 1 && !raw.StartsWith("{\\"))
        {
            result.Add(new PersonName(null, null, Literal: Decode(raw.ToString(), dialect)));
            return;
        }
        var commas = new List<int>(2);
        bool keyed = false;
        int depth = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '{') depth++;
            else if (c == '}') { if (depth > 0) depth--; }
            else if (depth == 0 && c == ',') commas.Add(i);
            else if (depth == 0 && c == '=') keyed = true;
        }
        if (keyed && TryKeyed(result, raw, commas, dialect)) return;
        if (commas.Count == 0 && dialect == LatexDialect.Pandoc)
        {
            // pandoc's "First von Last": First is the capitalized words up to the first other one, von the
            // uncapitalized words up to the next capitalized one, Last the rest (or the last word)
            var words = Words(raw);
            if (words.Count == 0) return;
            int caps = 0;
            while (caps < words.Count && IsCapitalizedLikePandoc(raw[words[caps]])) caps++;
            if (caps == words.Count) caps--;
            int vonEnd = caps;
            while (vonEnd < words.Count && !IsCapitalizedLikePandoc(raw[words[vonEnd]])) vonEnd++;
            if (vonEnd == words.Count) vonEnd--;
            Add(result, Join(raw, words, vonEnd, words.Count), caps > 0 ? Join(raw, words, 0, caps) : null,
                vonEnd > caps ? Join(raw, words, caps, vonEnd) : null, null, dialect);
            return;
        }
        if (commas.Count == 0)
        {
            var words = Words(raw);
            int last = words.Count - 1;
            int vonStart = -1, vonEnd = -1;
            for (int w = 0; w < last; w++)
            {
                if (!IsLowerWord(raw, words[w])) continue;
                if (vonStart < 0) vonStart = w;
                vonEnd = w;
            }
            if (vonStart < 0)
            {
                // "First Last": a run of braced or hyphen-free words at the end stays family only for the last word.
                Add(result, Join(raw, words, last, last + 1), Join(raw, words, 0, last), null, null, dialect);
            }
            else
            {
                Add(result, Join(raw, words, vonEnd + 1, last + 1), Join(raw, words, 0, vonStart), Join(raw, words, vonStart, vonEnd + 1), null, dialect);
            }
            return;
        }
        if (commas.Count > 2) tooManyCommas = true;
        var first = raw[..commas[0]].Trim();
        string? suffix = null;
        ReadOnlySpan<char> given;
        if (commas.Count == 1) given = raw[(commas[0] + 1)..].Trim();
        else
        {
            suffix = raw[(commas[0] + 1)..commas[1]].Trim().ToString();
            given = raw[(commas[1] + 1)..].Trim();
        }
        var fw = Words(first);
        int von = 0;
        if (dialect == LatexDialect.Pandoc)
            while (von < fw.Count - 1 && !IsCapitalizedLikePandoc(first[fw[von]])) von++;
        else
            while (von < fw.Count - 1 && IsLowerWord(first, fw[von])) von++;
        Add(result, Join(first, fw, von, fw.Count), given.ToString(), von > 0 ? Join(first, fw, 0, von) : null, suffix, dialect);
    }

    /// <summary>pandoc's <c>isCapitalized</c>: the word's first letter outside braced groups (which pandoc
    /// skips) is upper-case, digits skipped; a word of only braced groups counts as capitalized.</summary>
    private static bool IsCapitalizedLikePandoc(ReadOnlySpan<char> word)
    {
        var sb = new System.Text.StringBuilder(word.Length);
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            if (c == '\\')
            {
                // a command keeps its braced arguments (\'{E} is É)
                int j = i + 1;
                if (j < word.Length && char.IsAsciiLetter(word[j])) while (j < word.Length && char.IsAsciiLetter(word[j])) j++;
                else j = Math.Min(word.Length, j + 1);
                while (j < word.Length && word[j] == '{') j = Close(word, j) + 1;
                sb.Append(word[i..Math.Min(j, word.Length)]);
                i = Math.Min(j, word.Length) - 1;
                continue;
            }
            if (c == '{') { i = Close(word, i); continue; }
            sb.Append(c);
        }
        var text = LatexDecoder.DecodeLikePandoc(sb.ToString());
        static int Close(ReadOnlySpan<char> w, int open) => MatchingClose(w, open) is var close and >= 0 ? close : w.Length - 1;
        foreach (var ch in text)
        {
            if (char.IsDigit(ch) || ch == LatexDecoder.Barrier) continue;
            return char.IsUpper(ch);
        }
        return true;
    }

    private static string Decode(string latex, LatexDialect dialect) => dialect == LatexDialect.Pandoc
        ? LatexDecoder.DecodeLikePandoc(latex).Replace(LatexDecoder.Barrier.ToString(), "")
        : LatexDecoder.Decode(latex);

    private static bool TryKeyed(List<PersonName> result, ReadOnlySpan<char> raw, List<int> commas, LatexDialect dialect)
    {
        string? family = null, given = null, prefix = null, suffix = null;
        bool pandoc = dialect == LatexDialect.Pandoc;
        int from = 0;
        for (int p = 0; p <= commas.Count; p++)
        {
            int to = p < commas.Count ? commas[p] : raw.Length;
            var part = raw[from..to].Trim();
            from = to + 1;
            int eq = part.IndexOf('=');
            if (eq <= 0 && pandoc) continue;
            if (eq <= 0) return false;
            var key = part[..eq].Trim();
            var val = part[(eq + 1)..].Trim().ToString();
            if (key.Equals("family", StringComparison.OrdinalIgnoreCase)) family = val;
            else if (key.Equals("given", StringComparison.OrdinalIgnoreCase)) given = given is null || !pandoc ? val : given + " " + val;
            else if (key.Equals("prefix", StringComparison.OrdinalIgnoreCase)) prefix = val;
            else if (key.Equals("suffix", StringComparison.OrdinalIgnoreCase)) suffix = val;
            else if (!key.StartsWith("use", StringComparison.OrdinalIgnoreCase) && !key.Equals("id", StringComparison.OrdinalIgnoreCase)
                && !key.EndsWith("-i", StringComparison.OrdinalIgnoreCase) && !pandoc) return false;
        }
        if (family is null && given is null) return pandoc;
        Add(result, family, given, prefix, suffix, dialect);
        return true;
    }

    private static void Add(List<PersonName> result, string? family, string? given, string? particle, string? suffix, LatexDialect dialect)
    {
        string? D(string? s)
        {
            if (s is null) return null;
            var d = Decode(s, dialect);
            return d.Length == 0 ? null : d;
        }
        var f = D(family);
        var g = D(given);
        if (f is null && g is null) return;
        result.Add(new PersonName(f, g, Particle: D(particle), Suffix: D(suffix)));
    }

    /// <summary>Word ranges split on whitespace and ~ at brace depth 0.</summary>
    private static List<Range> Words(ReadOnlySpan<char> s)
    {
        var words = new List<Range>(4);
        int depth = 0, start = -1;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (depth == 0 && IsSpace(c))
            {
                if (start >= 0) { words.Add(start..i); start = -1; }
                continue;
            }
            if (start < 0) start = i;
            if (c == '{') depth++;
            else if (c == '}' && depth > 0) depth--;
        }
        if (start >= 0) words.Add(start..s.Length);
        return words;
    }

    private static string? Join(ReadOnlySpan<char> s, List<Range> words, int from, int to)
    {
        if (from >= to) return null;
        return s[words[from].Start.Value..words[to - 1].End.Value].ToString();
    }

    /// <summary>BibTeX's rule: a word is "von" when its first letter at depth 0 is lower case; a "{\x...}"
    /// special character counts by its letter; other braced groups count as upper case.</summary>
    private static bool IsLowerWord(ReadOnlySpan<char> s, Range r)
    {
        var w = s[r];
        for (int i = 0; i < w.Length; i++)
        {
            char c = w[i];
            if (c == '{')
            {
                if (i + 1 < w.Length && w[i + 1] == '\\')
                {
                    // special character: skip the command name, look at the first letter after it
                    int j = i + 2;
                    if (j < w.Length && char.IsAsciiLetter(w[j]))
                    {
                        int k = j;
                        while (k < w.Length && char.IsAsciiLetter(w[k])) k++;
                        var name = w[j..k];
                        if (name.Length > 1 || !LatexSymbols.IsLetterAccent(name.ToString())) return char.IsLower(name[0]);
                        j = k;
                    }
                    else j++;
                    for (; j < w.Length; j++)
                        if (char.IsLetter(w[j])) return char.IsLower(w[j]);
                    return false;
                }
                return false;
            }
            if (c == '\\')
            {
                // \"o outside braces: look at the accented letter
                int j = i + 1;
                if (j < w.Length && !char.IsAsciiLetter(w[j])) j++;
                for (; j < w.Length; j++)
                    if (char.IsLetter(w[j])) return char.IsLower(w[j]);
                return false;
            }
            if (char.IsLetter(c)) return char.IsLower(c);
        }
        return false;
    }

    private static int MatchingClose(ReadOnlySpan<char> s, int open)
    {
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '{') depth++;
            else if (s[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
