using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// Writes CSL items as BibLaTeX entries: the inverse of pandoc's biblatex → CSL mapping (<see cref="BibToCsl"/>),
/// so that reading the output back gives the same CSL items (article-journal → @article, paper-conference →
/// @inproceedings, container-title → journaltitle/booktitle, issued → an EDTF date, names as
/// <c>von Last, Jr., First</c>, titles with the words sentence case would change braced). No IO.
/// </summary>
public static partial class BibWriter
{
    /// <summary>A key the BibTeX reader reads back whole (no space, comma, brace, quote, '=', '#', '@', '\').</summary>
    public static bool IsKey(string key) =>
        key.Length > 0 && key.All(c => c > ' ' && c is not (',' or '{' or '}' or '(' or ')' or '=' or '"' or '#' or '@' or '\\' or '%' or '\'')
            && (c < 128 || !char.IsWhiteSpace(c)));

    /// <summary>Every item whose id <see cref="IsKey"/> as one entry, a blank line between entries.</summary>
    public static string Write(IEnumerable<CslItem> items)
    {
        var sb = new StringBuilder();
        foreach (var item in items)
        {
            if (!IsKey(item.Id)) continue;
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(WriteEntry(item));
        }
        return sb.ToString();
    }

    /// <summary>One entry, ending in a newline.</summary>
    public static string WriteEntry(CslItem item)
    {
        var entry = Entry(item, protectColons: false);
        // pandoc derives title-short from the title (the part before a colon): write shorttitle only when that
        // differs, and brace the colons of a title that has no short form
        var derived = ReadBack(Render(item.Id, entry))?.Text("title-short");
        if (item.Text("title-short") is { } shortTitle)
        {
            if (derived != shortTitle) entry.Fields.Add(("shorttitle", BibLatexText.Write(shortTitle, entry.SentenceCase)));
        }
        else if (derived is not null) entry = Entry(item, protectColons: true);
        return Render(item.Id, entry);
    }

    private sealed class EntryDraft(string type, bool sentenceCase)
    {
        public string Type { get; } = type;
        public bool SentenceCase { get; } = sentenceCase;
        public List<(string Name, string Value)> Fields { get; } = [];
    }

    private static string Render(string key, EntryDraft entry)
    {
        var sb = new StringBuilder().Append('@').Append(entry.Type).Append('{').Append(key).Append(",\n");
        foreach (var (name, value) in entry.Fields)
            sb.Append("  ").Append(name).Append(" = {").Append(value).Append("},\n");
        return sb.Append("}\n").ToString();
    }

    private static CslItem? ReadBack(string text)
    {
        var reader = new BibReader(text);
        reader.ReadAll();
        return reader.Entries.Count == 1 ? BibToCsl.Map(reader.Entries[0]) : null;
    }

    private static readonly HashSet<string> Chapterlike = ["incollection", "inproceedings", "inreference", "inbook"];
    private static readonly HashSet<string> BookLike = ["book", "incollection", "inproceedings", "inreference", "inbook"];

    private static EntryDraft Entry(CslItem item, bool protectColons)
    {
        string? Text(string name) => item.Text(name);
        var language = Text("language");
        // the reader sentence-cases titles of English entries (and of entries that name no language)
        bool sentenceCase = language is null || language.StartsWith("en-", StringComparison.Ordinal);
        var type = TypeOf(item);
        var entry = new EntryDraft(type.Name, sentenceCase);
        void Add(string field, string? value, bool title = false)
        {
            if (value is null) return;
            if (field == "title" && protectColons) value = ColonOutsideTags().Replace(value, "<span class=\"nocase\">:</span>");
            entry.Fields.Add((field, BibLatexText.Write(value, title && sentenceCase)));
        }
        void AddVerbatim(string field, string? value)
        {
            if (value is not null) entry.Fields.Add((field, Verbatim(value)));
        }

        if (type.Subtype is not null) entry.Fields.Add(("entrysubtype", type.Subtype));
        if (type.EditorType is not null) entry.Fields.Add(("editortype", type.EditorType));

        // names: one useprefix for the entry; a non-dropping particle anywhere asks for it
        bool usePrefix = item.Variables.Any(v => v.Value is CslNames n && n.Names.Any(x => x.NonDroppingParticle is not null));
        if (usePrefix) entry.Fields.Add(("options", "useprefix=true"));
        AddNames(entry, "author", item["author"]);
        AddNames(entry, type.EditorType is null ? "editor" : "director", item["editor"]);
        AddNames(entry, "translator", item["translator"]);
        AddNames(entry, type.EditorType is null ? "director" : "editor", item["director"]);
        AddNames(entry, "bookauthor", item["container-author"]);

        // titles: a volume of a multi-volume work is its maintitle + title (a chapter's: maintitle + booktitle)
        bool chapterlike = Chapterlike.Contains(type.Name);
        var title = Text("title");
        var volumeTitle = Text("volume-title");
        var container = Text("container-title");
        if (volumeTitle is not null && chapterlike)
        {
            Add("title", title, title: true);
            Add("maintitle", container, title: true);
            Add("booktitle", volumeTitle, title: true);
        }
        else if (volumeTitle is not null)
        {
            Add("maintitle", title, title: true);
            Add("title", volumeTitle, title: true);
            Add("journaltitle", container);
        }
        else
        {
            Add("title", title, title: true);
            if (chapterlike) Add("booktitle", container, title: true);
            else Add("journaltitle", container);
        }
        Add("shortjournal", Text("container-title-short"));
        Add("origtitle", Text("original-title"), title: true);
        Add("eventtitle", Text("event"), title: true);
        if (Text("collection-title") is { } series)
            Add("series", NumberedSeries().Match(series) is { Success: true } m && Ordinal(m.Groups[1].Value) == series[..^" series".Length]
                ? m.Groups[1].Value : series, title: true);

        // dates
        AddDate(entry, "date", "", item["issued"]);
        AddDate(entry, "urldate", "url", item["accessed"]);
        AddDate(entry, "eventdate", "event", item["event-date"]);
        AddDate(entry, "origdate", "orig", item["original-date"]);

        // locators
        Add("volume", Text("volume"));
        Add("number", Text(BookLike.Contains(type.Name) ? "collection-number" : type.Name is "article" or "review" ? "issue" : "number"));
        Add("pages", Text("page"));
        Add("pagetotal", Text("number-of-pages"));
        Add("volumes", Text("number-of-volumes"));
        Add("chapter", Text("chapter-number"));
        Add("edition", Text("edition"));
        Add("version", Text("version"));

        // publisher and places: "; " joins what the reader reads as a list ("A and B")
        // (the reader joins school, institution, organization and publisher alike: use the field biblatex expects)
        Add(type.Name is "thesis" or "report" ? "institution" : "publisher", List(Text("publisher")));
        Add("origpublisher", Text("original-publisher"));
        Add("address", List(Text("publisher-place")));
        if (type.Name == "patent") Add("location", List(Text("jurisdiction")));
        Add("origlocation", List(Text("original-publisher-place")));
        Add("venue", Text("event-place"));

        if (Text("genre") is { } genre) entry.Fields.Add(("type", GenreKeys.FirstOrDefault(k => BibToCsl.BibString(k) == genre) ?? Verbatim(genre)));
        if (language is not null) entry.Fields.Add(("langid", BabelName(language) ?? BibLatexText.Escape(language.ToLowerInvariant())));
        AddVerbatim("ids", Text("other-ids"));

        // identifiers: the reader takes these fields' text as written (pandoc's raw fields)
        AddVerbatim("doi", Text("DOI"));
        AddVerbatim("url", Text("URL"));
        AddVerbatim("isbn", Text("ISBN"));
        AddVerbatim("issn", Text("ISSN"));
        AddVerbatim("pmcid", Text("PMCID"));
        AddVerbatim("pmid", Text("PMID"));
        AddVerbatim("library", Text("call-number"));

        Add("pubstate", Text("status"));
        Add("keywords", Text("keyword"));
        Add("note", Text("note"));
        Add("annotation", Text("annote"));
        Add("abstract", Text("abstract"));
        return entry;
    }

    private readonly record struct BibType(string Name, string? Subtype = null, string? EditorType = null);

    /// <summary>The entry type the reader maps back to the item's CSL type (pandoc's table, inverted).</summary>
    private static BibType TypeOf(CslItem item)
    {
        bool isEvent = item["event"] is not null || item["event-date"] is not null || item["event-place"] is not null;
        // a director with no editor is biblatex's editor + editortype=director
        string? editorType = item["director"] is not null && item["editor"] is null ? "director" : null;
        return item.Type switch
        {
            "article-journal" => new("article"),
            "article-magazine" => new("article", "magazine"),
            "article-newspaper" => new("article", "newspaper"),
            // @book reads "number" as collection-number; @manual is a book whose number stays a number
            "book" => new(item["number"] is not null && item["collection-number"] is null ? "manual" : "book", EditorType: editorType),
            "pamphlet" => new("booklet", EditorType: editorType),
            // a chapter with a volume title but no container reads back only from a type that is no "in…" type
            "chapter" => new(item["volume-title"] is not null && item["container-title"] is null ? "suppcollection" : "incollection", EditorType: editorType),
            "dataset" => new("dataset", EditorType: editorType),
            "webpage" or "post" or "post-weblog" => new("online", EditorType: editorType),
            "entry-encyclopedia" or "entry-dictionary" => new("inreference", EditorType: editorType),
            "paper-conference" => new("inproceedings", EditorType: editorType),
            "thesis" => new("thesis", EditorType: editorType),
            "patent" => new("patent", EditorType: editorType),
            "report" => new("report", EditorType: editorType),
            // @unpublished is a speech only with an event; @performance is one always
            "speech" => new(isEvent ? "unpublished" : "performance", EditorType: editorType),
            "manuscript" => new("unpublished", EditorType: editorType),
            "graphic" => new("artwork", EditorType: editorType),
            "song" => new("audio", EditorType: editorType),
            "legal_case" => new("jurisdiction", EditorType: editorType),
            "legislation" => new("legislation", EditorType: editorType),
            "treaty" => new("legal", EditorType: editorType),
            "personal_communication" => new("letter", EditorType: editorType),
            "motion_picture" => new("movie", EditorType: editorType),
            "review" or "review-book" => new("review", EditorType: editorType),
            "software" => new("software", EditorType: editorType),
            "standard" => new("standard", EditorType: editorType),
            _ => new("misc", EditorType: editorType),
        };
    }

    [GeneratedRegex(@"^([0-9]+)(?:st|nd|rd|th) series$")]
    private static partial Regex NumberedSeries();

    private static string Ordinal(string n)
    {
        var v = long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : 0;
        return n + ((v % 100) is 11 or 12 or 13 ? "th" : (v % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
    }

    /// <summary>"A; B" (how the reader joins a literal list) as "A and B"; a part holding the word "and" is braced.</summary>
    private static string? List(string? joined) =>
        joined is null ? null : string.Join(" and ", ListSeparator().Split(joined).Select(p => AndWord().IsMatch(p) ? "<span class=\"nocase\">" + p + "</span>" : p));

    /// <summary>"; " between two parts; a part never starts or ends with a space (the reader trims them), so
    /// "Berlin ; New York" is one part.</summary>
    [GeneratedRegex(@"(?<=\S); (?=\S)")]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@":(?![^<]*>)")]
    private static partial Regex ColonOutsideTags();

    [GeneratedRegex(@"(^|\s)and(\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex AndWord();

    /// <summary>Raw fields (url, doi, isbn…) are read as written: written as they are, an unbalanced brace percent-encoded.</summary>
    private static string Verbatim(string value)
    {
        int depth = 0;
        foreach (var c in value)
        {
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) break;
        }
        return depth == 0 ? value : value.Replace("{", "%7B").Replace("}", "%7D");
    }

    /// <summary>biblatex's localisation keys for the usual genres ("PhD thesis" is <c>phdthesis</c>).</summary>
    private static readonly string[] GenreKeys = ["phdthesis", "mathesis", "candthesis", "techreport", "resreport", "software", "datacd", "audiocd"];

    private static readonly string[] BabelNames =
    [
        "english", "british", "newzealand", "canadian", "german", "austrian", "swissgerman", "french", "canadien", "spanish",
        "italian", "dutch", "portuguese", "brazil", "russian", "ukrainian", "polish", "czech", "slovak", "slovene", "croatian",
        "serbian", "bulgarian", "greek", "latin", "swedish", "danish", "norsk", "nynorsk", "finnish", "icelandic", "hungarian",
        "romanian", "turkish", "hebrew", "arabic", "japanese", "korean", "catalan", "estonian", "lithuanian", "latvian",
        "basque", "galician", "irish", "welsh", "vietnamese", "thai", "indonesian", "persian", "hindi",
    ];

    /// <summary>The babel name the reader maps to this IETF tag (en-US → english), or the tag itself when the reader
    /// reads it back unchanged (lower case), else null.</summary>
    private static string? BabelName(string ietf)
    {
        foreach (var name in BabelNames)
            if (BibToCsl.ToIetf(name) == ietf) return name;
        return BibToCsl.ToIetf(ietf.ToLowerInvariant()) == ietf ? BibLatexText.Escape(ietf) : null;
    }

    // ---- names ----

    private static void AddNames(EntryDraft entry, string field, CslValue? value)
    {
        if (value is not CslNames names || names.Names.Count == 0) return;
        var parts = new List<string>(names.Names.Count);
        for (int i = 0; i < names.Names.Count; i++)
        {
            var n = names.Names[i];
            // pandoc reads a trailing "and others" as the literal name "others"
            if (i == names.Names.Count - 1 && i > 0 && n is { Literal: "others", Family: null, Given: null }) { parts.Add("others"); continue; }
            parts.Add(Name(n));
        }
        entry.Fields.Add((field, string.Join(" and ", parts)));
    }

    /// <summary>One name as <c>von Last, Jr., First</c> (BibTeX's reading of that form takes only leading lower-case
    /// words as the particle), or as <c>First von Last</c> when the particle has a capitalised word inside ("de Leeuw
    /// van"), which only that form reads back; a literal (corporate) name braced whole.</summary>
    private static string Name(CslName n)
    {
        if (n.Literal is not null || n.Family is null && n.Given is null) return "{" + BibLatexText.Escape(n.Literal ?? "", name: true) + "}";
        var particle = n.NonDroppingParticle ?? n.DroppingParticle;
        var family = n.Family ?? "";
        var familyWords = Words(family);
        // several words not led by a capital could read as a particle; "others" alone ends a list
        bool severalWords = family.IndexOfAny([' ', '\u00A0', '\t']) >= 0;
        bool braced = family.Length == 0 || severalWords && !char.IsUpper(family[0]) || NeedsBraces(family)
            || family.Equals("others", StringComparison.OrdinalIgnoreCase);
        if (particle is not null && n.Suffix is null && Words(particle) is { } pw && !pw.All(StartsLower) && StartsLower(pw[0]) && StartsLower(pw[^1])
            && (n.Given is null || !Words(n.Given).Any(StartsLower)))
        {
            var last = familyWords.Length == 1 && !braced ? NamePart(family) : "{" + BibLatexText.Escape(family, name: true) + "}";
            return (n.Given is null ? "" : NamePart(n.Given) + " ") + NamePart(particle) + " " + last;
        }
        var sb = new StringBuilder();
        if (particle is not null) sb.Append(ParticlePart(particle)).Append(' ');
        sb.Append(braced ? "{" + BibLatexText.Escape(family, name: true) + "}" : NamePart(family));
        if (n.Suffix is not null) sb.Append(", ").Append(NamePart(n.Suffix));
        // without a comma, "First Last" would split a family of several words (and a braced one would be a literal)
        if (n.Given is not null || n.Suffix is not null || braced || severalWords) sb.Append(',');
        if (n.Given is not null) sb.Append(' ').Append(NamePart(n.Given));
        return sb.ToString();
    }

    /// <summary>A particle for <c>von Last</c>: pandoc reads as the particle only words that do not begin with a
    /// capital outside braces, so a capitalised particle word ("Šomeone") gets its first letter braced.</summary>
    private static string ParticlePart(string particle)
    {
        if (NeedsBraces(particle)) return NamePart(particle);
        return string.Join(' ', particle.Split(' ').Select(w =>
        {
            int i = 0;
            while (i < w.Length && char.IsDigit(w[i])) i++;
            return i < w.Length && char.IsUpper(w[i])
                ? BibLatexText.Escape(w[..i], name: true) + "{" + BibLatexText.Escape(w[i].ToString(), name: true) + "}" + BibLatexText.Escape(w[(i + 1)..], name: true)
                : BibLatexText.Escape(w, name: true);
        }));
    }

    private static string[] Words(string s) => s.Split([' ', '~', '\u00A0', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>BibTeX's case of a word: that of its first letter.</summary>
    private static bool StartsLower(string word)
    {
        foreach (var c in word)
            if (char.IsLetter(c)) return char.IsLower(c);
        return false;
    }

    private static bool NeedsBraces(string part) => part.Any(c => c is ',' or '=') || AndWord().IsMatch(part);

    private static string NamePart(string part) =>
        NeedsBraces(part) ? "{" + BibLatexText.Escape(part, name: true) + "}" : BibLatexText.Escape(part, name: true);

    // ---- dates ----

    private static void AddDate(EntryDraft entry, string field, string prefix, CslValue? value)
    {
        if (value is not CslDate date) return;
        if (Edtf(date) is { } edtf) { entry.Fields.Add((field, edtf)); return; }
        // not expressible in EDTF (a literal, a year past 9999): the old year/month/day fields
        // (an empty year is how a date with no parts, from a year that is not a number, reads back)
        var start = date.DateParts.Count > 0 ? date.DateParts[0] : [];
        entry.Fields.Add((prefix + "year", start.Count > 0 ? start[0].ToString(CultureInfo.InvariantCulture) : BibLatexText.Escape(date.Literal ?? "")));
        if (start.Count > 1) entry.Fields.Add((prefix + "month", start[1].ToString(CultureInfo.InvariantCulture)));
        if (start.Count > 2) entry.Fields.Add((prefix + "day", start[2].ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary><c>2020-03-04</c>, <c>2016/2017</c>, <c>2020/..</c>, <c>1850~</c>; null when EDTF cannot say it.</summary>
    private static string? Edtf(CslDate date)
    {
        if (date.Literal is not null || date.DateParts.Count is 0 or > 2) return null;
        var sides = new List<string>();
        foreach (var part in date.DateParts)
        {
            if (part.Count == 1 && part[0] == 0 && date.DateParts.Count == 2) { sides.Add(".."); continue; } // an open end
            if (part.Count is 0 or > 3) return null;
            // CSL counts BC years from -1, EDTF from 0
            int year = part[0] < 0 ? part[0] + 1 : part[0];
            if (year == 0 && part[0] == 0 || Math.Abs(year) > 9999) return null;
            var s = (year < 0 ? "-" : "") + Math.Abs(year).ToString("0000", CultureInfo.InvariantCulture);
            for (int i = 1; i < part.Count; i++)
            {
                if (part[i] is < 0 or > 99) return null;
                s += "-" + part[i].ToString("00", CultureInfo.InvariantCulture);
            }
            sides.Add(s);
        }
        return string.Join("/", sides) + (date.Circa ? "~" : "");
    }
}
