namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// BibLaTeX data inheritance within one file: <c>xdata</c> (all fields) and <c>crossref</c> (missing
/// fields come from the parent, with biblatex's default mappings: a book/collection/proceedings title
/// becomes the child's booktitle, an mv* title its maintitle, a periodical title its journaltitle).
/// Unknown parents are ignored (they may live in another file); cycles stop.
/// </summary>
internal static class BibInheritance
{
    private static readonly HashSet<string> NotInherited =
    [
        "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label", "options", "presort",
        "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro", "sortkey",
    ];

    private static readonly HashSet<string> TitleOnly = ["shorttitle", "sorttitle", "indextitle", "indexsorttitle"];

    public static void Resolve(List<RawEntry> entries)
    {
        bool any = false;
        foreach (var e in entries)
            if (e.Get("crossref") is not null || e.Get("xdata") is not null) { any = true; break; }
        if (!any) return;

        var byKey = new Dictionary<string, RawEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries) byKey.TryAdd(e.Key, e);
        var done = new Dictionary<RawEntry, List<KeyValuePair<string, BibValue>>>(ReferenceEqualityComparer.Instance);
        var visiting = new HashSet<RawEntry>(ReferenceEqualityComparer.Instance);
        foreach (var e in entries) Fields(e, byKey, done, visiting);
        foreach (var e in entries) e.Fields = done[e];
    }

    private static List<KeyValuePair<string, BibValue>> Fields(RawEntry e, Dictionary<string, RawEntry> byKey,
        Dictionary<RawEntry, List<KeyValuePair<string, BibValue>>> done, HashSet<RawEntry> visiting)
    {
        if (done.TryGetValue(e, out var cached)) return cached;
        var xdata = e.Get("xdata");
        var crossref = e.Get("crossref");
        if (xdata is null && crossref is null || !visiting.Add(e))
        {
            done.TryAdd(e, e.Fields);
            return e.Fields;
        }
        var fields = new List<KeyValuePair<string, BibValue>>(e.Fields);
        if (xdata is not null)
        {
            foreach (var part in xdata.Value.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!byKey.TryGetValue(part, out var parent) || visiting.Contains(parent)) continue;
                foreach (var f in Fields(parent, byKey, done, visiting))
                    if (!NotInherited.Contains(f.Key)) AddMissing(fields, f.Key, f.Value);
            }
        }
        if (crossref is not null && byKey.TryGetValue(crossref.Value.ToString().Trim(), out var source) && !visiting.Contains(source))
        {
            var parentFields = Fields(source, byKey, done, visiting);
            var titleTarget = TitleTarget(source.Type, e.Type);
            bool bookAuthor = source.Type is "book" or "mvbook" && e.Type is "inbook" or "bookinbook" or "suppbook"
                || source.Type == "mvbook" && e.Type == "book"; // not in biblatex's manual; pandoc does it (a volume's container author)
            foreach (var f in parentFields)
            {
                if (NotInherited.Contains(f.Key)) continue;
                if (titleTarget is not null)
                {
                    if (TitleOnly.Contains(f.Key)) continue;
                    if (f.Key == "title") { AddMissing(fields, titleTarget, f.Value); continue; }
                    if (f.Key == "subtitle") { AddMissing(fields, titleTarget[..^5] + "subtitle", f.Value); continue; }
                    if (f.Key == "titleaddon") { AddMissing(fields, titleTarget + "addon", f.Value); continue; }
                }
                if (bookAuthor && f.Key == "author") AddMissing(fields, "bookauthor", f.Value);
                AddMissing(fields, f.Key, f.Value);
            }
        }
        visiting.Remove(e);
        done[e] = fields;
        return fields;
    }

    /// <summary>Where the parent's title goes in the child, or null to copy it as title.</summary>
    private static string? TitleTarget(string parent, string child)
    {
        bool childIsPart = child.StartsWith("in", StringComparison.Ordinal) || child.StartsWith("supp", StringComparison.Ordinal)
            || child == "bookinbook";
        if (parent is "mvbook" or "mvcollection" or "mvreference" or "mvproceedings") return "maintitle";
        if (parent is "periodical" && child is "article" or "suppperiodical") return "journaltitle";
        if (parent is "book" or "collection" or "reference" or "proceedings" && childIsPart) return "booktitle";
        return null;
    }

    private static void AddMissing(List<KeyValuePair<string, BibValue>> fields, string name, BibValue value)
    {
        foreach (var f in fields)
            if (string.Equals(f.Key, name, StringComparison.Ordinal)) return;
        fields.Add(new(name, value));
    }
}
