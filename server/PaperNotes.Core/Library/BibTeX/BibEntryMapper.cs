namespace PaperNotes.Core.Library.BibTeX;

/// <summary>Maps a <see cref="RawEntry"/> (inheritance applied) to a <see cref="Paper"/>: decodes LaTeX,
/// parses names and dates; every field not mapped to a property goes to <see cref="Paper.Fields"/>.</summary>
internal static class BibEntryMapper
{
    /// <summary>Fields whose value is verbatim in BibLaTeX: no LaTeX decoding, no dashes.</summary>
    private static readonly HashSet<string> Verbatim = ["url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc"];

    /// <summary>Values shared across the entries of one file (people, venues).</summary>
    internal sealed class Pools
    {
        public StringPool<PersonName> People { get; } = new();
        public StringPool<string> Venues { get; } = new();
    }

    public static Paper Map(RawEntry e, string path, List<LibraryError> errors) => Map(e, path, errors, null);

    public static Paper Map(RawEntry e, string path, List<LibraryError> errors, Pools? pools) => Map(e, path, errors, pools, null);

    /// <summary>The paper without its abstract, which <paramref name="abstractSource"/> reads again when asked for.</summary>
    public static Paper MapLeavingAbstract(RawEntry e, string path, List<LibraryError> errors, Pools? pools, EntryAbstract abstractSource) =>
        Map(e, path, errors, pools, abstractSource);

    /// <summary>The decoded abstract of an entry, as <see cref="Map"/> gives it.</summary>
    public static string? AbstractOf(RawEntry e) => Decode(e.Get("abstract"));

    /// <summary>The decoded abstract of an entry whose abstract is <paramref name="value"/>.</summary>
    public static string? AbstractOf(BibValue value) => Decode(value);

    private static Paper Map(RawEntry e, string path, List<LibraryError> errors, Pools? pools, EntryAbstract? abstractSource)
    {
        BibValue? title = null, subtitle = null, titleAddon = null, journal = null, journalTitle = null, journalSubtitle = null;
        BibValue? bookTitle = null, bookSubtitle = null, mainTitle = null, date = null, year = null, month = null;
        BibValue? publisher = null, abstractText = null, doi = null, url = null, eprint = null, eprintType = null, organization = null;
        BibValue? author = null, editor = null;
        Dictionary<string, string>? rest = null;
        foreach (var (name, value) in e.Fields)
        {
            switch (name)
            {
                case "title": title = value; break;
                case "subtitle": subtitle = value; break;
                case "titleaddon": titleAddon = value; break;
                case "journal": journal = value; break;
                case "journaltitle": journalTitle = value; break;
                case "journalsubtitle": journalSubtitle = value; break;
                case "booktitle": bookTitle = value; break;
                case "booksubtitle": bookSubtitle = value; break;
                case "date": date = value; break;
                case "year": year = value; break;
                case "month": month = value; break;
                case "publisher": publisher = value; break;
                case "abstract": abstractText = value; break;
                case "doi": doi = value; break;
                case "url": url = value; break;
                case "organization": organization = value; break;
                case "author": author = value; break;
                case "editor": editor = value; break;
                default:
                    if (name == "eprint") eprint = value;
                    else if (name is "eprinttype" or "archiveprefix") eprintType ??= value;
                    else if (name == "maintitle") mainTitle = value;
                    rest ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    rest.TryAdd(name, name is "file" or "pdf" ? value.Span.Trim().ToString() // paths keep their spaces and escapes
                        : Verbatim.Contains(name) ? LatexDecoder.DecodeVerbatim(value.Span) : Decode(value)!);
                    break;
            }
        }

        string? arxiv = null;
        if (eprint is not null && eprintType is not null && eprintType.Value.Span.Trim().Trim("{}").Equals("arxiv", StringComparison.OrdinalIgnoreCase))
        {
            arxiv = LatexDecoder.DecodeVerbatim(eprint.Value.Span);
            rest?.Remove("eprint");
        }

        string? issueTitle = null;
        if (e.Type == "periodical" && rest is not null && rest.TryGetValue("issuetitle", out var it))
        {
            // A periodical issue: the issue is the work, the periodical its container (as pandoc maps it).
            issueTitle = Combine(it, rest.GetValueOrDefault("issuesubtitle"), ": ");
            journalTitle ??= title;
            title = null; subtitle = null; titleAddon = null;
            rest.Remove("issuetitle"); rest.Remove("issuesubtitle");
        }
        string? container = Combine(Decode(journalTitle ?? journal), journalTitle is not null ? Decode(journalSubtitle) : null, ": ")
            ?? Combine(Decode(bookTitle), Decode(bookSubtitle), ": ");
        if (container is null && mainTitle is not null && IsPartType(e.Type)) container = Decode(mainTitle);
        if (journalTitle is not null && journal is not null) rest?.TryAdd("journal", Decode(journal)!); // both given: keep the other

        return new Paper
        {
            Key = e.Key,
            Type = e.Type,
            Title = issueTitle ?? Combine(Combine(Decode(title), Decode(subtitle), ": "), Decode(titleAddon), ". "),
            Authors = Names(author, e, errors, pools),
            Editors = Names(editor, e, errors, pools),
            Issued = BibDates.Issued(Decode(date), Decode(year), Decode(month)),
            ContainerTitle = container is null || pools is null ? container : pools.Venues.Get(container, text => (text, true)),
            Publisher = Decode(publisher),
            Abstract = abstractSource is null ? Decode(abstractText) : null,
            AbstractSource = abstractText is null ? null : abstractSource,
            Doi = doi is null ? null : LatexDecoder.DecodeVerbatim(doi.Value.Span),
            Url = url is null ? null : LatexDecoder.DecodeVerbatim(url.Value.Span),
            Arxiv = arxiv,
            Organization = Decode(organization),
            Fields = rest ?? Paper.EmptyFields,
            SourcePath = path,
            KeySpan = e.KeySpan,
            EntrySpan = e.EntrySpan,
        };
    }

    private static bool IsPartType(string type) =>
        type.StartsWith("in", StringComparison.Ordinal) || type.StartsWith("supp", StringComparison.Ordinal) || type == "bookinbook";

    private static string? Decode(BibValue? latex)
    {
        if (latex is not BibValue v) return null;
        var d = LatexDecoder.Decode(v.Source, v.Start, v.Length);
        return d.Length == 0 ? null : d;
    }

    private static string? Combine(string? main, string? extra, string separator)
    {
        if (main is null) return extra;
        return extra is null ? main : main + separator + extra;
    }

    private static IReadOnlyList<PersonName> Names(BibValue? value, RawEntry e, List<LibraryError> errors, Pools? pools)
    {
        if (value is not BibValue v) return [];
        var names = BibNames.Parse(v.Span, pools?.People, out bool tooManyCommas);
        if (tooManyCommas) errors.Add(new LibraryError(e.KeySpan, $"too many commas in a name of '{e.Key}' (separate names with 'and')"));
        return names;
    }
}
