using System.Globalization;
using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Library.Csl;

/// <summary>
/// One CSL-JSON view of every paper, computed on demand from the library's text (loading never pays for it; a
/// snapshot's library files are read through <see cref="LibraryCslItems"/>):
/// BibTeX/BibLaTeX entries map as <c>pandoc -f biblatex -t csljson</c> maps them (<see cref="BibToCsl"/>);
/// CSL-JSON and CSL-YAML items (Daily Papers imports included) keep their own variables.
/// </summary>
public static class CslView
{
    private static readonly HashSet<string> NameVariables =
    [
        "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor", "curator",
        "director", "editor", "editorial-director", "editor-translator", "executive-producer", "guest", "host",
        "illustrator", "interviewer", "narrator", "organizer", "original-author", "performer", "producer", "recipient",
        "reviewed-author", "script-writer", "series-creator", "translator",
    ];

    private static readonly HashSet<string> DateVariables =
        ["accessed", "available-date", "event-date", "issued", "original-date", "submitted"];

    /// <summary>Every item of a library file's text, in source order (what the file's parser would list).</summary>
    public static IReadOnlyList<CslItem> Items(string path, string text, LibraryKind kind)
    {
        text ??= "";
        try
        {
            switch (kind)
            {
                case LibraryKind.BibTeX:
                {
                    var reader = new BibReader(text);
                    reader.ReadAll();
                    BibInheritance.Resolve(reader.Entries);
                    return reader.Entries.Select(BibToCsl.Map).ToList();
                }
                case LibraryKind.CslJson:
                {
                    var nodes = new List<CslNode>();
                    CslJsonParser.Parse(path, text, nodes);
                    return nodes.Select(FromNode).OfType<CslItem>().ToList();
                }
                default:
                {
                    var nodes = new List<CslNode>();
                    CslYamlParser.Parse(path, text, nodes);
                    return nodes.Select(FromNode).OfType<CslItem>().ToList();
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return []; // never throws: a bug here must not take a caller down
        }
    }

    /// <summary>A CSL item from a decoded paper: its CSL-named properties and any CSL-named fields.</summary>
    public static CslItem FromPaper(Paper paper)
    {
        var vars = new List<KeyValuePair<string, CslValue>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) vars.Add(new(name, new CslText(value)));
        }
        Add("type", paper.Type);
        Add("title", paper.Title);
        if (paper.Authors.Count > 0) vars.Add(new("author", Names(paper.Authors)));
        if (paper.Editors.Count > 0) vars.Add(new("editor", Names(paper.Editors)));
        if (paper.Issued is { } d)
        {
            vars.Add(new("issued", d.Year is int y
                ? new CslDate([d.Month is int m ? d.Day is int day ? [y, m, day] : [y, m] : [y]])
                : new CslDate([], d.Literal)));
        }
        Add("container-title", paper.ContainerTitle);
        Add("publisher", paper.Publisher);
        Add("abstract", paper.Abstract);
        Add("DOI", paper.Doi);
        Add("URL", paper.Url);
        foreach (var (name, value) in paper.Fields)
            if (!name.Contains('.') && vars.All(v => v.Key != name)) Add(name, value);
        return new CslItem(paper.Key, vars);
    }

    private static CslNames Names(IReadOnlyList<PersonName> people) =>
        new(people.Select(p => p.Literal is not null ? new CslName(Literal: p.Literal)
            : new CslName(Family: p.Family, Given: p.Given, DroppingParticle: string.IsNullOrEmpty(p.Particle) ? null : p.Particle,
                Suffix: string.IsNullOrEmpty(p.Suffix) ? null : p.Suffix)).ToList());

    /// <summary>A CSL-JSON or CSL-YAML item as written: names and dates typed when they have CSL's shape, any
    /// other value kept as it is.</summary>
    internal static CslItem? FromNode(CslNode node)
    {
        if (node is not CslMap map || map.Get("id") is not CslScalar { Value: { } id }) return null;
        var vars = new List<KeyValuePair<string, CslValue>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = map.Entries.Count - 1; i >= 0; i--) // a later duplicate wins, as the parsers read it
        {
            var (key, value) = map.Entries[i];
            if (key == "id" || !seen.Add(key)) continue;
            if (Value(key, value) is { } v) vars.Add(new(key, v));
        }
        vars.Reverse();
        return new CslItem(id, vars);
    }

    private static CslValue? Value(string key, CslNode node)
    {
        if (NameVariables.Contains(key) && node is CslList names && names.Items.All(n => n is CslMap))
            return new CslNames(names.Items.Cast<CslMap>().Select(Name).ToList());
        if (DateVariables.Contains(key) && node is CslMap date && Date(date) is { } d) return d;
        return Generic(node);
    }

    private static CslName Name(CslMap m)
    {
        string? S(string k) => m.Get(k) is CslScalar { Value: { } v } ? v : null;
        return new CslName(S("family"), S("given"), S("non-dropping-particle"), S("dropping-particle"), S("suffix"), S("literal"));
    }

    private static CslDate? Date(CslMap m)
    {
        var parts = new List<IReadOnlyList<int>>();
        if (m.Get("date-parts") is CslList list)
        {
            foreach (var p in list.Items)
            {
                if (p is not CslList ints) return null;
                var numbers = new List<int>();
                foreach (var x in ints.Items)
                {
                    if (x is not CslScalar { Value: { } s } || !int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return null;
                    numbers.Add(n);
                }
                parts.Add(numbers);
            }
        }
        var literal = m.Get("literal") is CslScalar { Value: { } l } ? l : m.Get("raw") is CslScalar { Value: { } r } ? r : null;
        if (parts.Count == 0 && literal is null) return null;
        return m.Entries.All(e => e.Key is "date-parts" or "literal" or "raw") ? new CslDate(parts, literal) : null;
    }

    private static CslValue? Generic(CslNode node) => node switch
    {
        CslScalar { Value: null } => null,
        CslScalar s => new CslText(s.Value),
        CslList l => new CslArray(l.Items.Select(Generic).OfType<CslValue>().ToList()),
        CslMap m => new CslObject(m.Entries.Select(e => new KeyValuePair<string, CslValue?>(e.Key, Generic(e.Value)))
            .Where(e => e.Value is not null).Select(e => new KeyValuePair<string, CslValue>(e.Key, e.Value!)).ToList()),
        _ => null,
    };
}
