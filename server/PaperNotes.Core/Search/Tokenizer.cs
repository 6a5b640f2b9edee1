namespace PaperNotes.Core.Search;

/// <summary>Splits text into lower-case search words: runs of letters and digits; accents folded.</summary>
internal static class Tokenizer
{
    /// <summary>Receives one word; the span is only valid during the call.</summary>
    public delegate void WordAction(ReadOnlySpan<char> word);

    /// <summary>Calls <paramref name="onWord"/> for each word (lower-cased, accent-folded when needed), without allocating for ASCII words.</summary>
    public static void Words(string? text, int minLength, WordAction onWord) => Words(text.AsSpan(), minLength, onWord);

    /// <summary>The words of UTF-8 text (an abstract as a paper keeps it), decoded into a pooled buffer.</summary>
    public static void Words(ReadOnlySpan<byte> utf8, int minLength, WordAction onWord)
    {
        if (utf8.IsEmpty) return;
        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            int n = System.Text.Encoding.UTF8.GetChars(utf8, rented);
            Words(rented.AsSpan(0, n), minLength, onWord);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    public static void Words(ReadOnlySpan<char> span, int minLength, WordAction onWord)
    {
        if (span.IsEmpty) return;
        Span<char> buffer = stackalloc char[64];
        int i = 0;
        while (i < span.Length)
        {
            while (i < span.Length && !char.IsLetterOrDigit(span[i])) i++;
            int start = i;
            bool ascii = true;
            while (i < span.Length && char.IsLetterOrDigit(span[i]))
            {
                if (span[i] > 0x7f) ascii = false;
                i++;
            }
            int length = i - start;
            if (length < minLength || length > 64) continue;
            var word = span.Slice(start, length);
            if (ascii)
            {
                word.ToLowerInvariant(buffer);
                onWord(buffer[..length]);
            }
            else
            {
                onWord(Fold(word.ToString()));
            }
        }
    }

    // Latin letters with diacritics → base letter. A table, not Unicode decomposition, because the server runs
    // with invariant globalization (no ICU), where string.Normalize does nothing for these.
    private static readonly (string From, char To)[] FoldGroups =
    [
        ("àáâãäåāăąǎ", 'a'), ("çćĉċč", 'c'), ("ďđ", 'd'), ("èéêëēĕėęěə", 'e'), ("ĝğġģ", 'g'), ("ĥħ", 'h'),
        ("ìíîïĩīĭįıǐ", 'i'), ("ĵ", 'j'), ("ķ", 'k'), ("ĺļľŀł", 'l'), ("ñńņňŉ", 'n'), ("òóôõöøōŏőǒ", 'o'),
        ("ŕŗř", 'r'), ("śŝşšș", 's'), ("ţťŧț", 't'), ("ùúûüũūŭůűųǔ", 'u'), ("ŵ", 'w'), ("ýÿŷ", 'y'), ("źżž", 'z'),
        ("ß", 's'), ("æ", 'a'), ("œ", 'o'), ("þ", 't'), ("ð", 'd'),
    ];

    private static readonly Dictionary<char, char> FoldMap =
        FoldGroups.SelectMany(g => g.From.Select(c => (c, g.To))).ToDictionary(p => p.c, p => p.To);

    /// <summary>Lower-cases and strips diacritics (Schölkopf → scholkopf) so users can type plain ASCII.</summary>
    public static string Fold(string word)
    {
        var lower = word.ToLowerInvariant();
        var chars = lower.ToCharArray();
        bool changed = false;
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] > 0x7f && FoldMap.TryGetValue(chars[i], out var plain))
            {
                chars[i] = plain;
                changed = true;
            }
        }
        return changed ? new string(chars) : lower;
    }

    public static List<string> Query(string text)
    {
        var words = new List<string>();
        Words(text, 1, w => words.Add(w.ToString()));
        return words;
    }
}
