using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.Csl;

/// <summary>
/// Maps one CSL item (from JSON or YAML, as a <see cref="CslNode"/>) to a <see cref="Paper"/>.
/// The single place that knows CSL variable names, name and date shapes, and rich-text markup.
/// </summary>
internal static partial class CslItemMapper
{
    /// <summary>The mapped paper, or null (and an error) when the item is not a mapping or has no usable id.</summary>
    public static Paper? Map(string path, CslNode node, ICollection<LibraryError> errors)
    {
        if (node is not CslMap item)
        {
            errors.Add(new LibraryError(Head(node.Span), "A CSL item must be an object with an \"id\"."));
            return null;
        }
        var idNode = item.Get("id");
        if (idNode is not CslScalar { Value: { } rawId } idScalar || string.IsNullOrWhiteSpace(rawId))
        {
            var span = idNode is null || idNode is CslScalar { Value: null } ? Head(item.Span) : idNode.Span;
            errors.Add(new LibraryError(span, idNode is null or CslScalar ? "CSL item has no \"id\"; it is skipped."
                : "CSL item \"id\" must be a string or a number; the item is skipped."));
            return null;
        }

        string type = "";
        string? title = null, container = null, publisher = null, abstractText = null, doi = null, url = null;
        string? code = null, organization = null, arxiv = null;
        IReadOnlyList<PersonName> authors = [], editors = [];
        PaperDate? issued = null;
        var fields = new Dictionary<string, string>();

        foreach (var (key, value) in item.Entries)
        {
            switch (key)
            {
                case "id": break;
                case "type": type = Text(value)?.ToLowerInvariant() ?? ""; break;
                case "title": title = Text(value); break;
                case "author": authors = Names(value); break;
                case "editor": editors = Names(value); break;
                case "issued": issued = Date(value); break;
                case "container-title": container = Text(value); break;
                case "publisher": publisher = Text(value); break;
                case "abstract": abstractText = Text(value); break;
                case "DOI" or "doi": doi = Text(value); break;
                case "URL" or "url": url = Text(value); break;
                case "custom" when value is CslMap custom:
                    foreach (var (name, v) in custom.Entries)
                    {
                        switch (name)
                        {
                            case "code": code = Text(v); break;
                            case "organization": organization = Text(v); break;
                            case "arxiv": arxiv = Text(v); break;
                            default: AddField(fields, "custom." + name, FieldText(v)); break;
                        }
                    }
                    break;
                default: AddField(fields, key.ToLowerInvariant(), FieldText(value)); break;
            }
        }

        return new Paper
        {
            Key = rawId,
            Type = type,
            Title = title,
            Authors = authors,
            Editors = editors,
            Issued = issued,
            ContainerTitle = container,
            Publisher = publisher,
            Abstract = abstractText,
            Doi = doi,
            Url = url,
            Arxiv = arxiv,
            Code = code,
            Organization = organization,
            Fields = fields.Count == 0 ? Paper.EmptyFields : fields,
            SourcePath = path,
            KeySpan = idScalar.ValueSpan,
            EntrySpan = item.Span,
        };
    }

    private static TextSpan Head(TextSpan span) => new(span.Start, Math.Min(1, span.Length));

    private static void AddField(Dictionary<string, string> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) fields[name] = value;
    }

    /// <summary>A scalar for display: markup stripped, trimmed; null when absent or empty.</summary>
    private static string? Text(CslNode? node) =>
        node is CslScalar { Value: { } v } && StripMarkup(v).Trim() is { Length: > 0 } s ? s : null;

    /// <summary>CSL rich text allows a few HTML-ish tags (&lt;i&gt;, &lt;b&gt;, &lt;sup&gt;, &lt;sub&gt;,
    /// &lt;span class="nocase"&gt;...); they are formatting, not content. Other '&lt;' stays ("a &lt; b").</summary>
    public static string StripMarkup(string text) =>
        text.Contains('<') ? MarkupTag().Replace(text, "") : text;

    [GeneratedRegex(@"</?(?:i|b|em|strong|sup|sub|sc|span)(?:\s[^<>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex MarkupTag();

    private static IReadOnlyList<PersonName> Names(CslNode node)
    {
        var names = new List<PersonName>();
        IEnumerable<CslNode> items = node is CslList list ? list.Items : [node];
        foreach (var item in items)
        {
            if (item is CslScalar && Text(item) is { } literal)
                names.Add(new PersonName(null, null, literal));
            else if (item is CslMap map && Name(map) is { } name)
                names.Add(name);
        }
        return names;
    }

    private static PersonName? Name(CslMap map)
    {
        string? family = Text(map.Get("family")), given = Text(map.Get("given")), literal = Text(map.Get("literal"));
        string? dropping = Text(map.Get("dropping-particle")), nonDropping = Text(map.Get("non-dropping-particle"));
        string? suffix = Text(map.Get("suffix"));
        // "Ludwig van Beethoven": a dropping particle precedes a non-dropping one when both are given.
        string? particle = dropping is null ? nonDropping : nonDropping is null ? dropping : $"{dropping} {nonDropping}";
        if (family is null && given is null && literal is null) return null;
        return new PersonName(family, given, literal, particle, suffix);
    }

    // ---- dates ----

    private static readonly string[] Seasons = ["Spring", "Summer", "Autumn", "Winter"];
    private static readonly string[] MonthPrefixes = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>CSL date as object (date-parts, season, raw, literal), or as a string / bare year
    /// (pandoc YAML: <c>issued: 2005</c>, <c>issued: 2021-02-12</c>), or old pandoc-citeproc
    /// <c>[{year: 2005}]</c>. Ranges and lists take the first date.</summary>
    internal static PaperDate? Date(CslNode node)
    {
        switch (node)
        {
            case CslScalar { Value: { } s }:
                return ParseRaw(StripMarkup(s));
            case CslList { Items.Count: > 0 } list:
                return Date(list.Items[0]);
            case CslMap map:
                PaperDate? date = null;
                if (map.Get("date-parts") is CslList { Items: [CslList first, ..] })
                    date = FromParts(first.Items);
                else if (map.Get("year") is { } y && Int(y) is int year)
                    date = Make(year, map.Get("month") is { } m ? Int(m) : null, map.Get("day") is { } d ? Int(d) : null, null);
                if (date is null && Text(map.Get("raw")) is { } raw) date = ParseRaw(raw);
                if (Text(map.Get("literal")) is { } literal)
                    date = date is null ? new PaperDate(null, Literal: literal) : date with { Literal = literal };
                if (date is { Month: null, Literal: null } && map.Get("season") is { } season)
                    date = date with { Literal = Int(season) is int n && SeasonName(n) is { } sn ? sn : Text(season) };
                return date;
            default:
                return null;
        }
    }

    private static PaperDate? FromParts(IReadOnlyList<CslNode> parts)
    {
        if (parts.Count == 0 || Int(parts[0]) is not int year) return null;
        int? month = parts.Count > 1 ? Int(parts[1]) : null;
        int? day = parts.Count > 2 ? Int(parts[2]) : null;
        return Make(year, month, day, null);
    }

    /// <summary>Months 13-16 (citeproc-js) and 21-24 (EDTF) are seasons: kept as a literal, not a month.</summary>
    private static PaperDate Make(int year, int? month, int? day, string? literal)
    {
        if (month is int m && SeasonName(m) is { } season && m > 12) return new PaperDate(year, null, null, literal ?? season);
        if (month is not (>= 1 and <= 12)) return new PaperDate(year, null, null, literal);
        return new PaperDate(year, month, day is >= 1 and <= 31 ? day : null, literal);
    }

    private static string? SeasonName(int n) => n switch
    {
        >= 1 and <= 4 => Seasons[n - 1],
        >= 13 and <= 16 => Seasons[n - 13],
        >= 21 and <= 24 => Seasons[n - 21],
        _ => null,
    };

    private static int? Int(CslNode node) =>
        node is CslScalar { Value: { } s } && int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n : null;

    [GeneratedRegex(@"^\s*(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?=$|[/T\s~?%])")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<!\d)(\d{4})(?!\d)")]
    private static partial Regex FourDigitYear();

    /// <summary>EDTF / ISO ("2021-02-12", "2005", "1999-21/2001-22" takes the first), else a free text
    /// ("May 2004", "Bogus Date") with the year and month found in it and the text kept as literal.</summary>
    internal static PaperDate? ParseRaw(string raw)
    {
        raw = raw.Trim();
        if (raw.Length == 0) return null;
        var iso = IsoDate().Match(raw);
        if (iso.Success)
        {
            int year = int.Parse(iso.Groups[1].Value, CultureInfo.InvariantCulture);
            int? month = iso.Groups[2].Success ? int.Parse(iso.Groups[2].Value, CultureInfo.InvariantCulture) : null;
            int? day = iso.Groups[3].Success ? int.Parse(iso.Groups[3].Value, CultureInfo.InvariantCulture) : null;
            return Make(year, month, day, null);
        }
        var y = FourDigitYear().Match(raw);
        if (!y.Success) return new PaperDate(null, Literal: raw);
        int? monthFound = null;
        foreach (var word in raw.Split([' ', ',', '.', '-', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            int i = word.Length >= 3 ? Array.IndexOf(MonthPrefixes, word[..3].ToLowerInvariant()) : -1;
            if (i >= 0) { monthFound = i + 1; break; }
        }
        return new PaperDate(int.Parse(y.Groups[1].Value, CultureInfo.InvariantCulture), monthFound, null, raw);
    }

    /// <summary>"2021-02-12", "2021-02", "2021", or the literal: how dates other than issued are kept in Fields.</summary>
    internal static string DateText(PaperDate date)
    {
        if (date.Year is not int y) return date.Literal ?? "";
        var sb = new StringBuilder(y.ToString("0000", CultureInfo.InvariantCulture));
        if (date.Month is int m) sb.Append('-').Append(m.ToString("00", CultureInfo.InvariantCulture));
        if (date is { Month: not null, Day: int d }) sb.Append('-').Append(d.ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    // ---- other fields, kept as text ----

    /// <summary>String form of any other variable: names "Family, Given; ...", dates as ISO text,
    /// anything else flattened to its scalars joined by "; ".</summary>
    private static string? FieldText(CslNode node)
    {
        switch (node)
        {
            case CslScalar:
                return Text(node);
            case CslList list when list.Items.Count > 0 && list.Items.All(i => i is CslMap m && (m.Get("family") ?? m.Get("literal") ?? m.Get("given")) is not null):
                return string.Join("; ", Names(list).Select(n => n.Literal ?? (n.Given is null ? n.Family : $"{n.Family}, {n.Given}")));
            case CslMap map when map.Get("date-parts") is not null || map.Get("raw") is not null || map.Get("literal") is not null:
                return Date(map) is { } date ? DateText(date) : null;
            default:
                var parts = new List<string>();
                Flatten(node, parts, 0);
                return parts.Count == 0 ? null : string.Join("; ", parts);
        }
    }

    private static void Flatten(CslNode node, List<string> parts, int depth)
    {
        if (depth > 16) return; // YAML aliases can nest deeply; the text form is best effort
        switch (node)
        {
            case CslScalar when Text(node) is { } s: parts.Add(s); break;
            case CslList list: foreach (var i in list.Items) Flatten(i, parts, depth + 1); break;
            case CslMap map: foreach (var (_, v) in map.Entries) Flatten(v, parts, depth + 1); break;
        }
    }
}
