using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperNotes.Core.Library.Csl;

/// <summary>
/// Writes papers as CSL-YAML the way pandoc lays it out (a <c>references:</c> list, block style), so
/// <see cref="CslYamlParser.Parse"/> reads back the same papers. Hand-written rather than YamlDotNet's
/// serializer so the layout and the quoting stay stable and readable in diffs.
/// </summary>
public static partial class CslYamlWriter
{
    /// <summary>CSL variables whose canonical names are upper case; Paper.Fields keeps names lower-cased.</summary>
    private static readonly Dictionary<string, string> UpperCaseNames = new()
    {
        ["doi"] = "DOI", ["isbn"] = "ISBN", ["issn"] = "ISSN", ["pmid"] = "PMID", ["pmcid"] = "PMCID", ["url"] = "URL",
    };

    /// <param name="comment">Optional text for a leading <c># ...</c> line (e.g. where the file came from).</param>
    public static string Write(IEnumerable<Paper> papers, string? comment = null)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(comment))
            foreach (var line in comment.Split('\n'))
                sb.Append("# ").Append(line.TrimEnd('\r')).Append('\n');
        int start = sb.Append("references:\n").Length;
        foreach (var paper in papers) WritePaper(sb, paper);
        if (sb.Length == start) sb.Insert(start - 1, " []");
        return sb.ToString();
    }

    /// <summary>CSL items with every variable they carry: id first, then the variables in CSL-JSON's (ordinal) order;
    /// names as block lists, dates as <c>{date-parts: [[…]]}</c>, nested values in block style.</summary>
    public static string WriteItems(IEnumerable<CslItem> items, string? comment = null)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(comment))
            foreach (var line in comment.Split('\n'))
                sb.Append("# ").Append(line.TrimEnd('\r')).Append('\n');
        int start = sb.Append("references:\n").Length;
        foreach (var item in items)
        {
            sb.Append("- id: ").Append(Scalar(item.Id)).Append('\n');
            foreach (var (name, value) in item.Variables.Where(v => v.Key != "id").OrderBy(v => v.Key, StringComparer.Ordinal))
                Entry(sb, 2, name, value);
        }
        if (sb.Length == start) sb.Insert(start - 1, " []");
        return sb.ToString();
    }

    private static void Entry(StringBuilder sb, int indent, string name, CslValue value)
    {
        sb.Append(' ', indent).Append(Scalar(name)).Append(':');
        switch (value)
        {
            case CslText t: sb.Append(' ').Append(Scalar(t.Value)).Append('\n'); break;
            case CslNumber n: sb.Append(' ').Append(PlainInteger().IsMatch(n.Value) ? n.Value : Scalar(n.Value)).Append('\n'); break;
            case CslBool b: sb.Append(b.Value ? " true\n" : " false\n"); break;
            case CslDate d: sb.Append(' ').Append(Date(d)).Append('\n'); break;
            case CslNames names when names.Names.Count > 0:
                sb.Append('\n');
                foreach (var n in names.Names)
                {
                    var parts = new List<(string, string)>();
                    if (n.DroppingParticle is not null) parts.Add(("dropping-particle", n.DroppingParticle));
                    if (n.Family is not null) parts.Add(("family", n.Family));
                    if (n.Given is not null) parts.Add(("given", n.Given));
                    if (n.Literal is not null) parts.Add(("literal", n.Literal));
                    if (n.NonDroppingParticle is not null) parts.Add(("non-dropping-particle", n.NonDroppingParticle));
                    if (n.Suffix is not null) parts.Add(("suffix", n.Suffix));
                    if (parts.Count == 0) parts.Add(("literal", ""));
                    for (int i = 0; i < parts.Count; i++)
                        sb.Append(' ', indent).Append(i == 0 ? "- " : "  ").Append(parts[i].Item1).Append(": ").Append(Scalar(parts[i].Item2)).Append('\n');
                }
                break;
            case CslArray list when list.Items.Count > 0:
                sb.Append('\n');
                foreach (var x in list.Items) ListItem(sb, indent, x);
                break;
            case CslObject obj when obj.Entries.Count > 0:
                sb.Append('\n');
                foreach (var (k, v) in obj.Entries) Entry(sb, indent + 2, k, v);
                break;
            case CslNames or CslArray: sb.Append(" []\n"); break;
            default: sb.Append(" {}\n"); break;
        }
    }

    private static void ListItem(StringBuilder sb, int indent, CslValue value)
    {
        switch (value)
        {
            case CslText t: sb.Append(' ', indent).Append("- ").Append(Scalar(t.Value)).Append('\n'); break;
            case CslNumber or CslBool or CslDate:
                // a scalar-like value: reuse the entry form and drop its name
                var one = new StringBuilder();
                Entry(one, 0, "x", value);
                sb.Append(' ', indent).Append("- ").Append(one.ToString(3, one.Length - 3));
                break;
            default:
                // a nested list or object: an empty key-less wrapper is not YAML, so write it in flow style as JSON (YAML reads JSON)
                sb.Append(' ', indent).Append("- ").Append(Flow(value)).Append('\n');
                break;
        }
    }

    private static string Flow(CslValue value) => value switch
    {
        CslText t => DoubleQuoted(t.Value),
        CslNumber n => PlainInteger().IsMatch(n.Value) ? n.Value : DoubleQuoted(n.Value),
        CslBool b => b.Value ? "true" : "false",
        CslDate d => Date(d),
        CslArray a => "[" + string.Join(", ", a.Items.Select(Flow)) + "]",
        CslObject o => "{" + string.Join(", ", o.Entries.Select(e => DoubleQuoted(e.Key) + ": " + Flow(e.Value))) + "}",
        CslNames n => "[" + string.Join(", ", n.Names.Select(x => "{" + string.Join(", ", new[]
        {
            ("dropping-particle", x.DroppingParticle), ("family", x.Family), ("given", x.Given), ("literal", x.Literal),
            ("non-dropping-particle", x.NonDroppingParticle), ("suffix", x.Suffix),
        }.Where(p => p.Item2 is not null).Select(p => p.Item1 + ": " + DoubleQuoted(p.Item2!))) + "}")) + "]",
        _ => "null",
    };

    private static string Date(CslDate d)
    {
        var parts = new List<string>();
        if (d.Circa) parts.Add("circa: true");
        if (d.DateParts.Count > 0 || d.Literal is null)
            parts.Add("date-parts: [" + string.Join(", ", d.DateParts.Select(p => "[" + string.Join(", ", p.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]")) + "]");
        if (d.Literal is not null) parts.Add("literal: " + DoubleQuoted(d.Literal));
        return "{" + string.Join(", ", parts) + "}";
    }

    private static void WritePaper(StringBuilder sb, Paper p)
    {
        sb.Append("- id: ").Append(Scalar(p.Key)).Append('\n');
        Field(sb, "type", p.Type);
        Field(sb, "title", p.Title);
        Names(sb, "author", p.Authors);
        Names(sb, "editor", p.Editors);
        if (p.Issued is { } date) sb.Append("  issued: ").Append(Date(date)).Append('\n');
        Field(sb, "container-title", p.ContainerTitle);
        Field(sb, "publisher", p.Publisher);
        Field(sb, "abstract", p.Abstract);
        Field(sb, "DOI", p.Doi);
        Field(sb, "URL", p.Url);

        var custom = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in p.Fields)
        {
            if (name.StartsWith("custom.", StringComparison.Ordinal)) custom.Add(new(name["custom.".Length..], value));
            else if (name != "custom") Field(sb, UpperCaseNames.GetValueOrDefault(name, name), value);
        }
        if (p.Organization is { } org) custom.Add(new("organization", org));
        if (p.Code is { } code) custom.Add(new("code", code));
        if (p.Arxiv is { } arxiv) custom.Add(new("arxiv", arxiv));
        if (custom.Count > 0)
        {
            sb.Append("  custom:\n");
            foreach (var (name, value) in custom)
                sb.Append("    ").Append(Scalar(name)).Append(": ").Append(Value(value)).Append('\n');
        }
        else if (p.Fields.TryGetValue("custom", out var text)) Field(sb, "custom", text);
    }

    private static void Field(StringBuilder sb, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        sb.Append("  ").Append(Scalar(name)).Append(": ").Append(Value(value)).Append('\n');
    }

    private static void Names(StringBuilder sb, string variable, IReadOnlyList<PersonName> names)
    {
        if (names.Count == 0) return;
        sb.Append("  ").Append(variable).Append(":\n");
        foreach (var n in names)
        {
            var parts = new List<(string, string)>();
            if (n.Literal is not null) parts.Add(("literal", n.Literal));
            if (n.Family is not null) parts.Add(("family", n.Family));
            if (n.Given is not null) parts.Add(("given", n.Given));
            if (!string.IsNullOrEmpty(n.Particle)) parts.Add(("non-dropping-particle", n.Particle));
            if (!string.IsNullOrEmpty(n.Suffix)) parts.Add(("suffix", n.Suffix));
            if (parts.Count == 0) parts.Add(("literal", ""));
            for (int i = 0; i < parts.Count; i++)
                sb.Append(i == 0 ? "  - " : "    ").Append(parts[i].Item1).Append(": ").Append(Scalar(parts[i].Item2)).Append('\n');
        }
    }

    /// <summary><c>{date-parts: [[2021, 2, 12]]}</c>, plus <c>literal</c> when the source had one.</summary>
    private static string Date(PaperDate d)
    {
        var parts = new List<string>();
        if (d.Year is int y)
        {
            var numbers = new List<int> { y };
            if (d.Month is int m) { numbers.Add(m); if (d.Day is int day) numbers.Add(day); }
            parts.Add("date-parts: [[" + string.Join(", ", numbers.Select(n => n.ToString(CultureInfo.InvariantCulture))) + "]]");
        }
        if (!string.IsNullOrEmpty(d.Literal)) parts.Add("literal: " + Scalar(d.Literal));
        return parts.Count == 0 ? "{}" : "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Small non-negative integers are written as YAML numbers (volume: 12, upvotes: 3);
    /// everything else as a string.</summary>
    private static string Value(string value) => PlainInteger().IsMatch(value) ? value : Scalar(value);

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,8})$")]
    private static partial Regex PlainInteger();

    /// <summary>A YAML scalar that reads back as exactly this string: plain when unambiguous,
    /// else double-quoted with escapes.</summary>
    internal static string Scalar(string s) => NeedsQuotes(s) ? DoubleQuoted(s) : s;

    [GeneratedRegex(@"^(?:[-+.]?[0-9][0-9_.,:eE+-]*|0[xXoO][0-9a-fA-F]+|\.(?:inf|Inf|INF|nan|NaN|NAN)|[-+]\.(?:inf|Inf|INF))$")]
    private static partial Regex NumberLike();

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])) return true;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(s[0])) return true;
        if (s.EndsWith(':') || s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal)) return true;
        if (Reserved.Contains(s) || NumberLike().IsMatch(s)) return true;
        foreach (char c in s)
            if (c < ' ' || c == '\x7f' || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF' || char.IsSurrogate(c))
                return true;
        return false;
    }

    private static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\u0085': sb.Append("\\N"); break;
                case '\u2028': sb.Append("\\L"); break;
                case '\u2029': sb.Append("\\P"); break;
                case '\uFEFF': sb.Append("\\uFEFF"); break;
                case < ' ' or '\x7f': sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) sb.Append(c).Append(s[++i]);
                    else if (char.IsSurrogate(c)) sb.Append('\uFFFD'); // a lone surrogate has no UTF-8 form
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
