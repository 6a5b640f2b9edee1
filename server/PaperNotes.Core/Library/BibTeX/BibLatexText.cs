using System.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// CSL rich text back to the LaTeX of a BibTeX value, the inverse of <see cref="BibRichText"/>: markup tags become
/// <c>\emph</c>, <c>\textbf</c>, <c>\textsc</c>, <c>\textsuperscript</c>, <c>\textsubscript</c> (a nocase span
/// becomes braces); <c>{}%&amp;$#_\~^</c> are escaped, non-ASCII stays UTF-8; and for a sentence-cased field the
/// words sentence case would change are braced, so the title reads back exactly as it was written.
/// </summary>
internal static class BibLatexText
{
    private const string SmallCaps = "<span style=\"font-variant:small-caps;\">";
    private const string NoCase = "<span class=\"nocase\">";

    private static readonly (string Tag, string Open)[] Tags =
    [
        ("<i>", "\\emph{"), ("<b>", "\\textbf{"), ("<sup>", "\\textsuperscript{"), ("<sub>", "\\textsubscript{"),
        (SmallCaps, "\\textsc{"), (NoCase, "{"),
    ];

    private readonly record struct Token(string Text, int Tag, bool Close); // Tag: index in Tags, -1 for text

    /// <param name="protectCase">The field is sentence-cased when read (a title of an English entry).</param>
    public static string Write(string text, bool protectCase)
    {
        var tokens = Tokenize(text);
        // the text runs between tags: what the reader's sentence case walks over
        var segments = new List<string>();
        var segmentOf = new int[tokens.Count];
        for (int t = 0; t < tokens.Count; t++)
        {
            segmentOf[t] = -1;
            if (tokens[t].Tag >= 0) continue;
            if (t > 0 && tokens[t - 1].Tag < 0) { segmentOf[t] = segmentOf[t - 1]; segments[^1] += tokens[t].Text; continue; }
            segmentOf[t] = segments.Count;
            segments.Add(tokens[t].Text);
        }
        var protect = new Dictionary<(int Segment, int Start), int>();
        if (protectCase)
            foreach (var (seg, start, length) in BibRichText.WordsSentenceCaseChanges(segments)) protect[(seg, start)] = length;

        var writer = new Writer(BalancedBraces(text), name: false);
        int noCase = 0, segment = -1, offset = 0;
        for (int t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (token.Tag >= 0)
            {
                if (token.Close) writer.Raw("}");
                else writer.Open(Tags[token.Tag].Open);
                if (Tags[token.Tag].Tag == NoCase) noCase += token.Close ? -1 : 1;
                continue;
            }
            if (segmentOf[t] != segment) { segment = segmentOf[t]; offset = 0; }
            var s = token.Text;
            for (int i = 0; i < s.Length;)
            {
                if (noCase == 0 && protect.TryGetValue((segment, offset + i), out var length) && i + length <= s.Length)
                {
                    writer.Open("{");
                    writer.Raw(s.Substring(i, length));
                    writer.Raw("}");
                    i += length;
                    continue;
                }
                if (t == 0 && i == 0 && s[0] == ' ') writer.Raw(KeepSpace);
                writer.Char(s, i);
                if (t == tokens.Count - 1 && i == s.Length - 1 && s[i] == ' ') writer.Raw(KeepSpace);
                i++;
            }
            offset += s.Length;
        }
        var latex = writer.ToString();
        // The reader's "last word" is the last whitespace-delimited run of its last piece, and braces split pieces: a
        // brace inside the last run can move it. Check, and when sentence case would still change something,
        // protect the whole value.
        if (protectCase && BibRichText.Render(latex, sentenceCase: true) != BibRichText.Render(latex, sentenceCase: false))
            latex = "{" + latex + "}";
        return latex;
    }

    /// <summary>Plain text (no markup) as a BibTeX value: escapes only. In a <paramref name="name"/> a comma must not
    /// show outside braces, so <c>\,</c> is braced.</summary>
    public static string Escape(string text, bool name = false)
    {
        var writer = new Writer(BalancedBraces(text), name);
        for (int i = 0; i < text.Length; i++) writer.Char(text, i);
        return writer.ToString();
    }

    /// <summary>Tags that open and close in order become tag tokens; any other '&lt;' is text.</summary>
    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var open = new Stack<int>();
        int run = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '<') continue;
            int tag = -1;
            bool close = false;
            for (int k = 0; k < Tags.Length && tag < 0; k++)
                if (string.CompareOrdinal(text, i, Tags[k].Tag, 0, Tags[k].Tag.Length) == 0) tag = k;
            if (tag < 0 && open.Count > 0)
            {
                var expected = CloseOf(Tags[tokens[open.Peek()].Tag].Tag);
                if (string.CompareOrdinal(text, i, expected, 0, expected.Length) == 0) { tag = tokens[open.Peek()].Tag; close = true; }
            }
            if (tag < 0) continue;
            if (i > run) tokens.Add(new Token(text[run..i], -1, false));
            if (close) open.Pop();
            else open.Push(tokens.Count);
            tokens.Add(new Token(close ? CloseOf(Tags[tag].Tag) : Tags[tag].Tag, tag, close));
            i += tokens[^1].Text.Length - 1;
            run = i + 1;
        }
        if (run < text.Length) tokens.Add(new Token(text[run..], -1, false));
        // a tag never closed is text, as the reader would have left it
        foreach (var index in open) tokens[index] = new Token(tokens[index].Text, -1, false);
        return tokens;
    }

    /// <summary>BibTeX counts <c>\{</c> and <c>\}</c> when it matches braces: they are only safe in pairs.</summary>
    private static bool BalancedBraces(string text)
    {
        int depth = 0;
        foreach (var c in text)
        {
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) return false;
        }
        return depth == 0;
    }

    private static string CloseOf(string tag) => tag.StartsWith("<span", StringComparison.Ordinal) ? "</span>" : "</" + tag[1..];

    /// <summary>Builds the LaTeX. A control symbol (<c>\&amp;</c>) would take the brace groups right after it as its
    /// arguments, so a run of them followed by '{' is braced itself.</summary>
    private sealed class Writer(bool balancedBraces, bool name)
    {
        private readonly StringBuilder _sb = new();
        private int _controlStart = -1, _controlEnd = -1;

        public void Raw(string s) => _sb.Append(s);

        public void Open(string s)
        {
            if (_sb.Length == _controlEnd && _controlStart >= 0)
            {
                _sb.Insert(_controlStart, '{').Append('}');
                _controlStart = _controlEnd = -1;
            }
            _sb.Append(s);
        }

        private void Control(string s)
        {
            if (name && s is "\\," or "\\;") { Open("{" + s + "}"); return; }
            // a run of control symbols is braced as one: each would take the next brace group
            if (_sb.Length != _controlEnd) _controlStart = _sb.Length;
            _sb.Append(s);
            _controlEnd = _sb.Length;
        }

        public void Char(string s, int i)
        {
            char c = s[i];
            char next = i + 1 < s.Length ? s[i + 1] : '\0';
            switch (c)
            {
                case '{' when !balancedBraces: Open("{\\textbraceleft}"); break;
                case '}' when !balancedBraces: Open("{\\textbraceright}"); break;
                case '{' or '}' or '%' or '&' or '$' or '#' or '_': Control("\\" + c); break;
                // the six-per-em space is what \, reads as; pandoc knows no command for the others
                case '\u2006': Control("\\,"); break;
                // a second space only stays next to a command the reader drops (pandoc keeps the spaces around it)
                case ' ' when i > 0 && s[i - 1] == ' ': _sb.Append(KeepSpace).Append(' '); break;
                case '\\': Open("{\\textbackslash}"); break;
                case '~': Open("{\\textasciitilde}"); break;
                case '^': Open("{\\textasciicircum}"); break;
                case '\u00A0': _sb.Append('~'); break; // what '~' reads as
                case '\n' or '\r' or '\t': _sb.Append(' '); break;
                // "--", "''" and "``" are ligatures (–, ”, “) when read: keep the characters apart
                case '-' or '\'' or '`' when next == c: _sb.Append(c); Open("{}"); break;
                default: _sb.Append(c); break;
            }
        }

        public override string ToString() => _sb.ToString();
    }

    /// <summary>A command pandoc does not know (and TeX ignores): pandoc drops it and keeps the spaces on both
    /// sides, so a value can begin or end with a space, or hold two.</summary>
    private const string KeepSpace = "\\relax{}";
}
