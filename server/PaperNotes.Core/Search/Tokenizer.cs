using System.Globalization;
using System.Text;

namespace PaperNotes.Core.Search;

/// <summary>Splits text into lower-case search words: runs of letters and digits; accents folded.</summary>
internal static class Tokenizer
{
    /// <summary>Calls <paramref name="onWord"/> for each word (lower-cased, accent-folded when needed).</summary>
    public static void Words(string? text, int minLength, Action<string> onWord)
    {
        if (string.IsNullOrEmpty(text)) return;
        var span = text.AsSpan();
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
                onWord(new string(buffer[..length]));
            }
            else
            {
                onWord(Fold(word.ToString()));
            }
        }
    }

    /// <summary>Lower-cases and strips diacritics (Schölkopf → scholkopf) so users can type plain ASCII.</summary>
    public static string Fold(string word)
    {
        var lower = word.ToLowerInvariant();
        bool plain = true;
        foreach (var c in lower) if (c > 0x7f) { plain = false; break; }
        if (plain) return lower;
        var decomposed = lower.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category != UnicodeCategory.NonSpacingMark) sb.Append(c switch { 'ø' => 'o', 'ł' => 'l', 'ß' => 's', 'æ' => 'a', 'đ' => 'd', _ => c });
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    public static List<string> Query(string text)
    {
        var words = new List<string>();
        Words(text, 1, words.Add);
        return words;
    }
}
