using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Library.Csl;

/// <summary>
/// The CSL items of a library file, read from the text the file keeps (<see cref="LibraryFile.Source"/>), so they are
/// the items of the very file a snapshot holds, whatever the disk says meanwhile, and a big library is never read whole.
/// A BibTeX file whose papers decode lazily re-reads only the entries asked for, each through a window over its span
/// (one block of a compressed text) with the file's <c>@string</c> macros; a file whose entries inherit (crossref,
/// xdata) is read whole, as its papers were, since an entry's fields depend on others. CSL-JSON and CSL-YAML files are
/// read whole (their items keep every variable as written, which the decoded papers do not). Items are what
/// <see cref="CslView.Items"/> gives for the file's whole text; a paper that reads differently, or a file without its
/// text, maps from the decoded paper (<see cref="CslView.FromPaper"/>). Never throws.
/// </summary>
public static class LibraryCslItems
{
    /// <summary>The items of <paramref name="papers"/>, all of <paramref name="file"/>, in their order: a note citing 300
    /// keys of a 100,000-paper library reads 300 entries.</summary>
    public static IReadOnlyList<CslItem> For(LibraryFile file, IReadOnlyList<Paper> papers)
    {
        var items = new CslItem?[papers.Count];
        try
        {
            switch (file.Source)
            {
                case { Kind: LibraryKind.BibTeX } when file.Papers is LazyBibPapers lazy:
                {
                    // In source order, so that a run of cited entries in one block decompresses it once.
                    var indices = papers.Select((p, i) => (Entry: lazy.IndexOf(p), Paper: i)).Where(x => x.Entry >= 0).OrderBy(x => x.Entry);
                    var window = new LazyBibPapers.EntryWindow();
                    foreach (var (entry, paper) in indices)
                        if (lazy.ReadRaw(entry, window) is { } raw) items[paper] = BibToCsl.Map(raw);
                    break;
                }
                case { Kind: LibraryKind.BibTeX } source:
                {
                    var reader = new BibReader(WholeText(source));
                    reader.ReadAll();
                    BibInheritance.Resolve(reader.Entries);
                    var bySpan = new Dictionary<(int, string), RawEntry>();
                    foreach (var e in reader.Entries) bySpan.TryAdd((e.EntrySpan.Start, e.Key), e);
                    for (int i = 0; i < papers.Count; i++)
                        if (bySpan.TryGetValue((papers[i].EntrySpan.Start, papers[i].Key), out var entry) && entry.EntrySpan == papers[i].EntrySpan)
                            items[i] = BibToCsl.Map(entry);
                    break;
                }
                case { } source:
                {
                    var byId = new Dictionary<string, CslItem>(StringComparer.Ordinal);
                    foreach (var item in CslView.Items(file.Path, WholeText(source), source.Kind)) byId.TryAdd(item.Id, item);
                    for (int i = 0; i < papers.Count; i++) items[i] = byId.GetValueOrDefault(papers[i].Key);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // fall through to the decoded papers
        }
        return [.. items.Select((item, i) => item ?? CslView.FromPaper(papers[i]))];
    }

    /// <summary>Every item of <paramref name="file"/>, in source order (what <see cref="CslView.Items"/> gives for its
    /// whole text): <c>papernotes export</c>. A lazily decoded BibTeX file is read entry by entry, a window at a time.</summary>
    public static IReadOnlyList<CslItem> Of(LibraryFile file)
    {
        if (file.Source is not { } source) return [];
        if (source.Kind != LibraryKind.BibTeX || file.Papers is not LazyBibPapers lazy)
            return CslView.Items(file.Path, WholeText(source), source.Kind);
        var items = new List<CslItem>(lazy.Count);
        var window = new LazyBibPapers.EntryWindow();
        for (int i = 0; i < lazy.Count; i++)
        {
            CslItem? item = null;
            try
            {
                if (lazy.ReadRaw(i, window) is { } raw) item = BibToCsl.Map(raw);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // a bug here must not take a caller down: the decoded paper stands in
            }
            items.Add(item ?? CslView.FromPaper(lazy[i]));
        }
        return items;
    }

    /// <summary>The file's whole text as one string: free for a text kept as a string; a compressed one (a streamed
    /// BibTeX file with crossref/xdata, a CSL file of 16 M characters or more) is decompressed into one, as its load did.</summary>
    private static string WholeText(LibrarySource source) => source.Text.WindowOver(0, source.Text.Length).Window;
}
