namespace PaperNotes.Core.Notes;

/// <summary>
/// Pandoc's citation key grammar: a key begins with a letter, digit or '_' and continues with
/// alphanumerics, '_' and the internal punctuation <c>:.#$%&amp;-+?&lt;&gt;~/</c> when followed by an
/// alphanumeric. Braced keys <c>@{...}</c> may hold anything but braces.
/// </summary>
public static class CitationSyntax
{
    private const string InternalPunctuation = ":.#$%&-+?<>~/";

    public static bool IsKeyStart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Length of the key that starts at <paramref name="start"/>, 0 when none does.</summary>
    public static int ScanKey(ReadOnlySpan<char> text, int start)
    {
        if (start >= text.Length || !IsKeyStart(text[start])) return 0;
        int i = start + 1;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsLetterOrDigit(c) || c == '_') { i++; continue; }
            if (InternalPunctuation.Contains(c) && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])) { i += 2; continue; }
            break;
        }
        return i - start;
    }

    /// <summary>True when the whole string is a key pandoc reads without braces.</summary>
    public static bool IsPlainKey(string key) => key.Length > 0 && ScanKey(key, 0) == key.Length;

    /// <summary>How to write the key after '@': plain when possible, else braced.</summary>
    public static string Format(string key) => IsPlainKey(key) ? key : "{" + key + "}";
}
