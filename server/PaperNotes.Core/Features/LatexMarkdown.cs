using System.Text;

namespace PaperNotes.Core.Features;

/// <summary>
/// Renders the simple LaTeX that abstracts from arXiv and CSL sources keep (<c>{\it x}</c>, <c>\emph{x}</c>,
/// <c>\textbf{x}</c>, <c>~</c>, <c>--</c>, protective braces) as Markdown that also reads well as plain text;
/// everything else is escaped as written. Math (<c>$…$</c>) is kept verbatim. Never throws; nesting is capped.
/// </summary>
public static class LatexMarkdown
{
    private const int MaxDepth = 32;

    public static string Render(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        int pos = 0;
        Group(text, ref pos, sb, depth: 0, closing: false);
        return sb.ToString();
    }

    /// <summary>Renders until the end, or until the <c>}</c> that closes the group when <paramref name="closing"/>.</summary>
    private static void Group(string s, ref int i, StringBuilder sb, int depth, bool closing)
    {
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '}') { i++; if (closing) return; continue; }
            if (c == '{')
            {
                i++;
                if (depth >= MaxDepth) continue; // deeper braces only group: drop them, keep the text
                // {\it x}, {\em x}, {\bf x}: a declaration at the start of the group styles all of it.
                var style = DeclarationAt(s, ref i);
                Styled(s, ref i, sb, depth + 1, style, untilBrace: true);
                continue;
            }
            if (c == '\\' && i + 1 < s.Length && char.IsAsciiLetter(s[i + 1]))
            {
                int start = i;
                int j = i + 1;
                while (j < s.Length && char.IsAsciiLetter(s[j])) j++;
                var name = s[(i + 1)..j];
                var style = name switch
                {
                    "emph" or "textit" or "textsl" => "*",
                    "textbf" => "**",
                    "textrm" or "textsf" or "texttt" or "textsc" or "textup" or "mbox" => "",
                    _ => null,
                };
                if (style is not null && j < s.Length && s[j] == '{' && depth < MaxDepth)
                {
                    i = j + 1;
                    Styled(s, ref i, sb, depth + 1, style, untilBrace: true);
                    continue;
                }
                sb.Append(PaperMarkdown.Escape(s[start..j]));
                i = j;
                continue;
            }
            if (c == '$')
            {
                int end = s.IndexOf('$', i + 1);
                if (end > i)
                {
                    sb.Append(PaperMarkdown.Escape(s[i..(end + 1)]));
                    i = end + 1;
                    continue;
                }
            }
            if (c == '~') { sb.Append('\u00A0'); i++; continue; }
            if (c == '-' && i + 1 < s.Length && s[i + 1] == '-')
            {
                bool em = i + 2 < s.Length && s[i + 2] == '-';
                sb.Append(em ? '—' : '–');
                i += em ? 3 : 2;
                continue;
            }
            if (c == '\\' && i + 1 < s.Length && s[i + 1] is '%' or '&' or '_' or '#' or '$' or '{' or '}')
            {
                sb.Append(PaperMarkdown.Escape(s[(i + 1)..(i + 2)]));
                i += 2;
                continue;
            }
            sb.Append(PaperMarkdown.Escape(s[i..(i + 1)]));
            i++;
        }
    }

    private static void Styled(string s, ref int i, StringBuilder sb, int depth, string style, bool untilBrace)
    {
        var inner = new StringBuilder();
        Group(s, ref i, inner, depth, closing: untilBrace);
        var text = inner.ToString();
        var trimmed = text.Trim();
        if (style.Length == 0 || trimmed.Length == 0) { sb.Append(text); return; }
        // Markdown emphasis must hug its text: keep the spaces outside the markers.
        sb.Append(text[..(text.Length - text.TrimStart().Length)]).Append(style).Append(trimmed).Append(style)
          .Append(text[text.TrimEnd().Length..]);
    }

    /// <summary>A style declaration right after <c>{</c> (<c>\it</c>, <c>\em</c>, <c>\bf</c>, …), consumed; "" when none.</summary>
    private static string DeclarationAt(string s, ref int i)
    {
        if (i >= s.Length || s[i] != '\\') return "";
        int j = i + 1;
        while (j < s.Length && char.IsAsciiLetter(s[j])) j++;
        var style = s[(i + 1)..j] switch
        {
            "it" or "em" or "itshape" or "sl" or "slshape" => "*",
            "bf" or "bfseries" => "**",
            "rm" or "sf" or "tt" or "sc" or "normalfont" => "",
            _ => null,
        };
        if (style is null) return "";
        i = j;
        if (i < s.Length && s[i] == ' ') i++;
        return style;
    }
}
