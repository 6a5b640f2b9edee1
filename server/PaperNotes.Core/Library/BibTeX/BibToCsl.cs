using System.Globalization;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// Maps one BibTeX/BibLaTeX entry (inheritance applied) to the CSL-JSON item <c>pandoc -f biblatex -t csljson</c>
/// (pandoc 2.17) makes of it: pandoc's type mapping and genre, its choice of title, container, volume and
/// collection titles, sentence-cased titles (English entries; braced text protected), locators, publisher and
/// place lists joined with "; ", names with particles and suffixes, EDTF dates and ranges, and identifiers.
/// </summary>
internal static partial class BibToCsl
{
    private static readonly HashSet<string> BookLike =
    [
        "book", "collection", "proceedings", "reference", "mvbook", "mvcollection", "mvproceedings", "mvreference",
        "bookinbook", "inbook", "incollection", "inproceedings", "inreference", "suppbook", "suppcollection",
    ];

    public static CslItem Map(RawEntry e)
    {
        var f = new Dictionary<string, BibValue>(StringComparer.Ordinal);
        foreach (var (name, value) in e.Fields)
        {
            var key = name switch { "archiveprefix" => "eprinttype", "primaryclass" => "eprintclass", _ => name };
            f.TryAdd(key, UndefinedMacro(value) ? BibValue.Of(value.ToString().ToLowerInvariant()) : WithoutQuotedComments(value));
        }
        string et = e.Type;
        var vars = new List<KeyValuePair<string, CslValue>>();
        void Add(string name, string? value)
        {
            if (value is not null) vars.Add(new(name, new CslText(value)));
        }
        BibValue? Get(string name) => f.TryGetValue(name, out var v) ? v : null;
        // pandoc's getRawField: the field's text as written (macros expanded), LaTeX and spacing untouched
        string? Raw(string name) => f.TryGetValue(name, out var v) ? v.ToString() : null;
        string? Field(string name) => BibRichText.Text(Get(name));

        var options = Options(Raw("options"));
        string? langid = LangId(Raw("langid")?.ToLowerInvariant().Trim(), Get("langidopts") is { } opts ? Plain(opts).ToLowerInvariant().Trim() : "");
        string? hyphenation = (langid ?? Raw("hyphenation")) is { } lang ? ToIetf(lang.ToLowerInvariant()) : null;
        bool sentenceCase = hyphenation is null || hyphenation.StartsWith("en-", StringComparison.Ordinal);
        string? Title(string name) => BibRichText.Title(Get(name), sentenceCase);

        Add("other-ids", Raw("ids"));
        var (type, genre) = TypeAndGenre(et, Raw("type"), Raw("entrysubtype") ?? "", f);
        Add("genre", genre);
        Add("language", hyphenation);

        // dates
        AddDate(vars, "accessed", Date(f, "urldate", "url"));
        AddDate(vars, "event-date", Date(f, "eventdate", "event"));
        AddDate(vars, "issued", Date(f, "date", ""));
        AddDate(vars, "original-date", Date(f, "origdate", "orig"));

        // names
        bool usePrefix = OptionSet("useprefix", options);
        var editorType = Raw("editortype") ?? "";
        AddNames(vars, "author", Get("author"), usePrefix);
        AddNames(vars, "editor", editorType == "director" ? null : Get("editor"), usePrefix);
        AddNames(vars, "translator", Get("translator"), usePrefix);
        AddNames(vars, "director", editorType == "director" ? Get("editor") : Get("director"), usePrefix);
        AddNames(vars, "container-author", Get("bookauthor"), usePrefix);

        // locators
        Add("page", Field("pages")?.Replace('–', '-'));
        Add("number-of-pages", Field("pagetotal"));
        var volume = Field("volume");
        var part = Field("part");
        Add("volume", volume is not null && part is not null ? volume + "." + part : volume ?? part);
        Add("number-of-volumes", Field("volumes"));
        Add("chapter-number", Field("chapter"));
        Add("edition", Field("edition"));
        Add("version", Field("version"));
        bool isArticle = et is "article" or "periodical" or "suppperiodical" or "review";
        if (Field("number") is { } number)
        {
            if (BookLike.Contains(et)) Add("collection-number", number);
            else if (isArticle) Add("issue", Field("issue") is { } issue ? ConcatWith(',', number, issue) : number);
            else Add("number", number);
        }

        // titles
        bool isPeriodical = et == "periodical";
        bool isChapterlike = et is "inbook" or "incollection" or "inproceedings" or "inreference" or "bookinbook";
        bool hasMaintitle = f.ContainsKey("maintitle");
        bool mainIsTitle = hasMaintitle && !isChapterlike;
        string? title = (isPeriodical ? Title("issuetitle") : null) ?? (mainIsTitle ? Title("maintitle") : null) ?? Title("title");
        string? subtitle = (isPeriodical ? Title("issuesubtitle") : null) ?? (mainIsTitle ? Title("mainsubtitle") : null) ?? Title("subtitle");
        string? titleAddon = (mainIsTitle ? Title("maintitleaddon") : null) ?? Title("titleaddon");
        string? volumeTitle = mainIsTitle ? Title("title") : hasMaintitle ? Title("booktitle") : null;
        string? volumeSubtitle = mainIsTitle ? Title("subtitle") : hasMaintitle ? Title("booksubtitle") : null;
        string? volumeAddon = mainIsTitle ? Title("titleaddon") : hasMaintitle ? Title("booktitleaddon") : null;
        string? container = (isPeriodical ? Field("title") : null) ?? (isChapterlike ? Title("maintitle") ?? Title("booktitle") : null)
            ?? Field("journaltitle") ?? Field("journal");
        string? containerSub = (isPeriodical ? Field("subtitle") : null) ?? (isChapterlike ? Title("mainsubtitle") ?? Title("booksubtitle") : null)
            ?? Field("journalsubtitle");
        string? containerAddon = (isPeriodical ? Field("titleaddon") : null) ?? (isChapterlike ? Title("maintitleaddon") ?? Title("booktitleaddon") : null);
        string? containerShort = (isPeriodical && !hasMaintitle ? Field("shorttitle") : null) ?? Field("shortjournal");
        // a series that is a localisation key ("newseries") is resolved before it is sentence-cased
        string? series = Get("series") is { } seriesValue && LatexDialect.Pandoc.BibStrings.TryGetValue(Plain(seriesValue), out var seriesString)
            ? BibRichText.Title(BibValue.Of(seriesString), sentenceCase) : Title("series");
        if (series is not null && series.All(char.IsAsciiDigit)) series = Ordinal(series) + " series";
        string? shortTitle = (!hasMaintitle || isChapterlike) && Title("shorttitle") is { } st ? st
            : BibRichText.ShortTitle(Get("title"), sentenceCase, requireColon: !(!string.IsNullOrEmpty(subtitle) || !string.IsNullOrEmpty(titleAddon)) || hasMaintitle);

        Add("original-title", Title("origtitle"));
        Add("event", Title("eventtitle"));
        if (title is not null) Add("title", ConcatWith('.', ConcatWith(':', title, subtitle), titleAddon));
        if (volumeTitle is not null) Add("volume-title", ConcatWith('.', ConcatWith(':', volumeTitle, volumeSubtitle), volumeAddon));
        if (container is not null) Add("container-title", ConcatWith('.', ConcatWith(':', container, containerSub), containerAddon));
        Add("container-title-short", containerShort);
        Add("collection-title", series);
        Add("title-short", shortTitle);

        // publisher and places
        var publishers = new List<string>();
        foreach (var name in (string[])["school", "institution", "organization", "howpublished", "publisher"])
            if ((name == "howpublished" ? Field(name) : LiteralList(Get(name))) is { } p) publishers.Add(p);
        if (publishers.Count > 0) Add("publisher", string.Join("; ", publishers.Where(p => p.Length > 0)));
        Add("original-publisher", Field("origpublisher"));
        Add("jurisdiction", type == "patent" && LiteralList(Get("location")) is { } places
            ? string.Join("; ", places.Split("; ").Select(BibString)) : null);
        Add("event-place", Field("venue"));
        Add("publisher-place", LiteralList(Get("address")) ?? (et != "patent" ? LiteralList(Get("location")) : null));
        Add("original-publisher-place", LiteralList(Get("origlocation")));

        // identifiers
        string? url = et == "online" || Option("url", options) != "false" ? Raw("url") : null;
        if (url is null && Raw("eprinttype") is { } eprintType && Raw("eprint") is { } eprint)
        {
            var baseUrl = eprintType.ToLowerInvariant() switch
            {
                "arxiv" => "https://arxiv.org/abs/",
                "jstor" => "https://www.jstor.org/stable/",
                "pubmed" => "https://www.ncbi.nlm.nih.gov/pubmed/",
                "googlebooks" => "https://books.google.com?id=",
                _ => null,
            };
            if (baseUrl is not null) url = baseUrl + eprint;
        }
        Add("URL", url);
        Add("DOI", Option("doi", options) != "false" ? Raw("doi") : null);
        Add("ISBN", Raw("isbn"));
        Add("ISSN", Raw("issn"));
        Add("PMCID", Raw("pmcid"));
        Add("PMID", Raw("pmid"));
        Add("call-number", Raw("library"));

        // notes
        Add("note", ConcatWith('.', et == "periodical" ? null : Field("note"), Field("addendum")));
        Add("annote", Field("annotation") ?? Field("annote"));
        Add("abstract", Field("abstract"));
        Add("keyword", Field("keywords"));
        Add("status", Field("pubstate") is { } pubstate ? BibString(pubstate) : null);
        vars.Add(new("type", new CslText(type)));
        return new CslItem(e.Key, vars);
    }

    /// <summary>A bare word left in the file's text (not braced, not quoted, not a number): an @string macro
    /// that was never defined. pandoc reads it as its name in lower case.</summary>
    private static bool UndefinedMacro(BibValue v)
    {
        if (v.Length == 0 || v.Start == 0 || v.Start + v.Length > v.Source.Length) return false;
        var span = v.Span;
        if (!char.IsAsciiLetter(span[0])) return false;
        foreach (var c in span)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '+' or '.')) return false;
        int i = v.Start - 1;
        while (i > 0 && char.IsWhiteSpace(v.Source[i])) i--;
        return v.Source[i] is '=' or '#';
    }

    /// <summary>pandoc's reader takes a <c>%</c> outside braces in a quoted value ("50% of") for a comment: the rest of
    /// the line, its line break included, is not part of the value.</summary>
    private static BibValue WithoutQuotedComments(BibValue v)
    {
        if (v.Start == 0 || v.Source[v.Start - 1] != '"' || v.Span.IndexOf('%') < 0) return v;
        var span = v.Span;
        var sb = new System.Text.StringBuilder(span.Length);
        int depth = 0;
        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            if (c == '\\' && i + 1 < span.Length) { sb.Append(c).Append(span[++i]); continue; }
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (c == '%' && depth == 0)
            {
                int eol = span[i..].IndexOf('\n');
                if (eol < 0) break;
                i += eol;
                continue;
            }
            sb.Append(c);
        }
        return BibValue.Of(sb.ToString());
    }

    /// <summary>Decoded plain text (pandoc's <c>stringify</c>): markup dropped.</summary>
    private static string Plain(BibValue v) => LatexDecoder.Decode(v.Source, v.Start, v.Length).Replace('\u2009', '\u2006');

    /// <summary>A BibLaTeX literal list ("A and B") as pandoc joins it: "A; B".</summary>
    private static string? LiteralList(BibValue? v)
    {
        if (v is not BibValue value) return null;
        var raw = value.ToString();
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '\\') { i++; continue; }
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (depth == 0 && char.IsWhiteSpace(c) && i + 4 < raw.Length && raw.AsSpan(i + 1, 3).SequenceEqual("and") && char.IsWhiteSpace(raw[i + 4]))
            {
                parts.Add(BibRichText.Render(raw[start..i], sentenceCase: false));
                start = i + 4;
            }
        }
        parts.Add(BibRichText.Render(raw[start..], sentenceCase: false));
        return string.Join("; ", parts);
    }

    /// <summary>pandoc's <c>concatWith</c>: joins with "sep " unless the first part already ends in punctuation.</summary>
    private static string? ConcatWith(char sep, string? a, string? b)
    {
        if (string.IsNullOrEmpty(a)) return string.IsNullOrEmpty(b) ? a : b;
        if (string.IsNullOrEmpty(b)) return a;
        return "!?.,:;".Contains(a[^1]) ? a + " " + b : a + sep + " " + b;
    }

    private static string Ordinal(string n)
    {
        var v = long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : 0;
        var suffix = (v % 100) is 11 or 12 or 13 ? "th" : (v % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n + suffix;
    }

    private static (string Type, string? Genre) TypeAndGenre(string et, string? typeField, string subtype, Dictionary<string, BibValue> f)
    {
        string reftype = typeField is null ? "" : BibString(typeField);
        bool isEvent = f.ContainsKey("eventdate") || f.ContainsKey("eventtitle") || f.ContainsKey("venue");
        string Article() => subtype switch { "magazine" => "article-magazine", "newspaper" => "article-newspaper", _ => "article-journal" };
        string type = et switch
        {
            "article" or "periodical" or "suppperiodical" => Article(),
            "book" or "collection" or "manual" or "mvbook" or "mvcollection" or "mvproceedings" or "mvreference"
                or "proceedings" or "reference" or "software" or "commentary" => "book",
            "booklet" => "pamphlet",
            "bookinbook" or "inbook" or "incollection" or "suppbook" or "suppcollection" => "chapter",
            "dataset" or "data" => "dataset",
            "electronic" or "online" or "www" => "webpage",
            "inreference" => "entry-encyclopedia",
            "inproceedings" => "paper-conference",
            "mastersthesis" or "phdthesis" or "thesis" => "thesis",
            "patent" => "patent",
            "report" or "techreport" => "report",
            "unpublished" => isEvent ? "speech" : "manuscript",
            "artwork" or "image" => "graphic",
            "audio" or "music" => "song",
            "jurisdiction" => "legal_case",
            "legislation" or "standard" => "legislation",
            "legal" => "treaty",
            "letter" or "letters" => "personal_communication",
            "movie" or "video" => "motion_picture",
            "performance" => "speech",
            "review" => "review",
            "newsarticle" => "article-newspaper",
            _ => "",
        };
        string? genre = et switch
        {
            "mastersthesis" => reftype.Length == 0 ? "Master’s thesis" : reftype,
            "phdthesis" => reftype.Length == 0 ? "PhD thesis" : reftype,
            _ => reftype.Length == 0 ? null : reftype,
        };
        return (type, genre);
    }

    /// <summary>A localisation key (a type, series or pubstate field, <c>\bibstring{key}</c>): pandoc looks it up as written.</summary>
    internal static string BibString(string key) => LatexDialect.Pandoc.BibStrings.GetValueOrDefault(key, key);

    private static List<(string Key, string Value)> Options(string? raw)
    {
        var list = new List<(string, string)>();
        if (raw is null) return list;
        foreach (var part in raw.Split(','))
        {
            int eq = part.IndexOf('=');
            list.Add(eq < 0 ? (part.Trim().ToLowerInvariant(), "") : (part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim().ToLowerInvariant()));
        }
        return list;
    }

    private static string? Option(string key, List<(string Key, string Value)> options)
    {
        foreach (var (k, v) in options)
            if (k == key) return v;
        return null;
    }

    private static bool OptionSet(string key, List<(string Key, string Value)> options) =>
        Option(key, options) is { } v && (v == "true" || v.Length == 0);

    private static string? LangId(string? langid, string opts) => (langid, opts) switch
    {
        (null, _) => null,
        ("english", "variant=british" or "variant=uk") => "british",
        ("english", "variant=american" or "variant=us" or "variant=usmax") => "american",
        ("english", "variant=australian") => "australian",
        ("english", "variant=newzealand") => "newzealand",
        _ => langid,
    };

    /// <summary>pandoc's <c>toIETF</c> for babel/polyglossia language names.</summary>
    internal static string ToIetf(string lang) => lang.Trim() switch
    {
        "american" or "english" or "usenglish" => "en-US",
        "british" or "ukenglish" => "en-GB",
        "australian" => "en-GB",
        "newzealand" => "en-NZ",
        "canadian" => "en-CA",
        "german" or "ngerman" => "de-DE",
        "austrian" or "naustrian" => "de-AT",
        "swissgerman" or "nswissgerman" => "de-CH",
        "french" or "francais" => "fr-FR",
        "canadien" => "fr-CA",
        "spanish" => "es-ES",
        "italian" => "it-IT",
        "dutch" => "nl-NL",
        "portuguese" or "portuges" => "pt-PT",
        "brazil" or "brazilian" => "pt-BR",
        "russian" => "ru-RU",
        "ukrainian" => "uk-UA",
        "polish" => "pl-PL",
        "czech" => "cs-CZ",
        "slovak" => "sk-SK",
        "slovene" or "slovenian" => "sl-SL",
        "croatian" => "hr-HR",
        "serbian" => "sr-RS",
        "bulgarian" => "bg-BG",
        "greek" => "el-GR",
        "latin" => "la",
        "swedish" => "sv-SE",
        "danish" => "da-DK",
        "norsk" or "norwegian" or "bokmal" => "nb-NO",
        "nynorsk" => "nn-NO",
        "finnish" => "fi-FI",
        "icelandic" => "is-IS",
        "hungarian" or "magyar" => "hu-HU",
        "romanian" => "ro-RO",
        "turkish" => "tr-TR",
        "hebrew" => "he-IL",
        "arabic" => "ar",
        "japanese" => "ja-JP",
        "korean" => "ko-KR",
        "catalan" => "ca-AD",
        "estonian" => "et-EE",
        "lithuanian" => "lt-LT",
        "latvian" => "lv-LV",
        "basque" => "eu-ES",
        "galician" => "gl-ES",
        "irish" => "ga-IE",
        "welsh" => "cy-GB",
        "vietnamese" => "vi-VN",
        "thai" => "th-TH",
        "indonesian" => "id-ID",
        "persian" or "farsi" => "fa-IR",
        "hindi" => "hi-IN",
        var other => other,
    };

    private static void AddNames(List<KeyValuePair<string, CslValue>> vars, string name, BibValue? value, bool usePrefix)
    {
        if (value is not BibValue v) return;
        var people = BibNames.ParseLikePandoc(v.Span);
        var names = new List<CslName>(people.Count + 1);
        foreach (var p in people)
        {
            if (p.Literal is not null) { names.Add(new CslName(Literal: p.Literal.Replace('\'', '’'))); continue; }
            var particle = string.IsNullOrEmpty(p.Particle) ? null : SpaceInitials(p.Particle);
            var given = string.IsNullOrEmpty(p.Given) ? null : SpaceInitials(p.Given);
            if (particle is null && given is not null && TrailingLowercase(given) is int cut)
            {
                // "Toorn, Penny van": pandoc takes lower-case words ending the given name as the particle
                particle = given[cut..].Trim();
                given = given[..cut].Trim();
                if (given.Length == 0) given = null;
            }
            var family = string.IsNullOrEmpty(p.Family) ? null : SpaceInitials(p.Family);
            var nonDropping = usePrefix ? particle : null;
            if (nonDropping is null && family is not null) (nonDropping, family) = LeadingParticle(family);
            names.Add(new CslName(
                Family: family,
                Given: given,
                NonDroppingParticle: nonDropping,
                DroppingParticle: usePrefix ? null : particle,
                Suffix: string.IsNullOrEmpty(p.Suffix) ? null : SpaceInitials(p.Suffix)));
        }
        var raw = v.Span.Trim();
        if (raw.EndsWith(" others", StringComparison.Ordinal) || raw.EndsWith("\nothers", StringComparison.Ordinal)) names.Add(new CslName(Literal: "others"));
        if (names.Count > 0) vars.Add(new(name, new CslNames(names)));
    }

    /// <summary>citeproc's non-dropping particle taken from a family name: its leading lower-case words
    /// ("von zur Gathen"), else a lower-case part before the one apostrophe or hyphen in it ("al-Hasan", "d’Alembert").</summary>
    private static (string? Particle, string Family) LeadingParticle(string family)
    {
        var words = family.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int n = 0;
        while (n < words.Length && words[n].All(char.IsLower)) n++;
        if (n > 0 && n < words.Length) return (string.Join(' ', words[..n]), string.Join(' ', words[n..]));
        if (n > 0) return (null, family);
        int at = family.IndexOfAny(['\'', '’', '-', '–']);
        if (at < 0 || family.AsSpan(at + 1).IndexOfAny(['\'', '’', '-', '–']) >= 0 || !family[..at].All(char.IsLower)) return (null, family);
        return (family[..(at + 1)], family[(at + 1)..]);
    }

    /// <summary>Where the run of lower-case words ending <paramref name="given"/> starts, if the given name has
    /// other words before it.</summary>
    private static int? TrailingLowercase(string given)
    {
        var words = given.Split(' ');
        int n = words.Length;
        while (n > 0 && words[n - 1].Length > 0 && words[n - 1].All(char.IsLower)) n--;
        if (n == words.Length || n == 0) return null;
        return string.Join(' ', words[..n]).Length;
    }

    /// <summary>pandoc reads "J.G." as "J. G." (two initials, each one upper-case letter).</summary>
    private static string SpaceInitials(string name) =>
        // pandoc splits names at no-break spaces too, and its smart quotes make ' an apostrophe
        (name.Contains('.') ? Initials().Replace(name, "$1. ") : name).Replace('\u2009', '\u2006').Replace('\u00A0', ' ').Replace('\'', '’');

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\p{L}\p{N}])(\p{Lu})\.(?=\p{Lu}(?![\p{L}\p{N}]))")]
    private static partial System.Text.RegularExpressions.Regex Initials();

    private static void AddDate(List<KeyValuePair<string, CslValue>> vars, string name, CslDate? date)
    {
        if (date is not null) vars.Add(new(name, date));
    }

    /// <summary>An EDTF <paramref name="field"/> ("2020", "2020-03-04", "2020/2021", "2020-03/"), else the old
    /// <c>{prefix}year</c>/<c>month</c>/<c>day</c> fields (a non-numeric year gives empty date-parts).</summary>
    private static CslDate? Date(Dictionary<string, BibValue> f, string field, string prefix)
    {
        if (f.TryGetValue(field, out var raw) && Edtf(Plain(raw)?.Replace('\u00A0', '~')) is { } d) return d;
        if (!f.TryGetValue(prefix + "year", out var yearValue)) return null;
        var parts = new List<IReadOnlyList<int>>();
        var start = OldParts(Year(yearValue), f, prefix + "month", prefix + "day");
        if (start is not null) parts.Add(start);
        if (f.TryGetValue(prefix + "endyear", out var endYear) && OldParts(Year(endYear), f, prefix + "endmonth", prefix + "endday") is { } end)
            parts.Add(end);
        return new CslDate(parts);
    }

    private static int? Year(BibValue v)
    {
        var text = Plain(v);
        if (text is null) return null;
        if (text.Length > 1 && text[0] is '–' or '—' && char.IsAsciiDigit(text[1])) text = "-" + text[1..];
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var y) ? y : null;
    }

    private static List<int>? OldParts(int? year, Dictionary<string, BibValue> f, string monthField, string dayField)
    {
        if (year is not int y) return null;
        var parts = new List<int> { y };
        if (f.TryGetValue(monthField, out var mv) && Month(mv) is int m)
        {
            parts.Add(m);
            if (f.TryGetValue(dayField, out var dv) && int.TryParse(Plain(dv), NumberStyles.None, CultureInfo.InvariantCulture, out var day))
                parts.Add(day);
        }
        return parts;
    }

    private static readonly string[] MonthKeys = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>A month macro (jan…dec), a three-letter name or a number, as pandoc's <c>parseMonth</c>.</summary>
    private static int? Month(BibValue v)
    {
        if (MacroTable.MonthOf(v) is int fromMacro) return fromMacro;
        var text = Plain(v)?.Trim().ToLowerInvariant();
        if (text is null) return null;
        int i = Array.IndexOf(MonthKeys, text);
        if (i >= 0) return i + 1;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : null;
    }

    private static CslDate? Edtf(string? text)
    {
        if (text is null) return null;
        text = text.Trim();
        if (text.Length == 0) return null;
        var sides = text.Split('/');
        if (sides.Length > 2) return null;
        var parts = new List<IReadOnlyList<int>>();
        bool circa = false;
        foreach (var side in sides)
        {
            var s = side.Trim();
            int t = s.IndexOf('T');
            if (t > 0) s = s[..t]; // a time of day is dropped
            if (s.EndsWith('~') || s.EndsWith('%')) circa = true;
            s = s.TrimEnd('?', '~', '%');
            if (s.Length == 0 || s is ".." or "unknown" or "open")
            {
                if (sides.Length == 2) parts.Add([0]);
                continue;
            }
            if (s.Length > 0 && char.IsAsciiDigit(s[0]) && s.Contains('u')) s = s.Replace('u', 'X'); // EDTF draft "20uu"
            if (s.Contains('X'))
            {
                // unspecified digits: the range they span (199X → 1990/1999, 1999-XX → 1999-0/1999-99)
                if (sides.Length != 1) return null;
                var low = DateParts(s.Replace('X', '0'));
                var high = DateParts(s.Replace('X', '9'));
                if (low is null || high is null) return null;
                parts.Add(low);
                parts.Add(high);
                continue;
            }
            var p = DateParts(s);
            if (p is null) return null;
            parts.Add(p);
        }
        return parts.Count == 0 ? null : new CslDate(parts, Circa: circa);
    }

    private static List<int>? DateParts(string s)
    {
        bool negative = s.StartsWith('-');
        var pieces = (negative ? s[1..] : s).Split('-');
        if (pieces.Length > 3) return null;
        var parts = new List<int>(3);
        for (int i = 0; i < pieces.Length; i++)
        {
            var p = pieces[i];
            if (p.Length == 0 || !p.All(char.IsAsciiDigit) || (i == 0 ? p.Length > 4 : p.Length != 2)) return null;
            parts.Add(int.Parse(p, CultureInfo.InvariantCulture));
        }
        if (negative) parts[0] = -parts[0];
        if (parts[0] <= 0) parts[0]--; // EDTF year 0 is 1 BC: CSL counts BC years from -1
        return parts;
    }
}
