using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Core.Features;

/// <summary>What a note cites, as CSL items for a citation processor (the VS Code Markdown preview formats them with
/// citeproc-js), plus the keys nothing defines. Keys in order of first citation, each once.</summary>
public sealed record CitedItemsResult(IReadOnlyList<CslItem> Items, IReadOnlyList<string> Unknown);

public static class CitedItems
{
    /// <summary>
    /// The CSL item of every key the note cites, resolved as hover resolves it (the note's own <c>references:</c>
    /// first, then the libraries). Core does no IO: <paramref name="libraryText"/> gives a library file's text (the
    /// editor's while it is open), read once per file however many of its entries are cited. Null for a file that is
    /// not a note.
    /// </summary>
    public static CitedItemsResult? Find(FeatureContext context, Func<string, string?> libraryText)
    {
        if (context.Note is not { } note) return null;
        var keys = note.Citations.Select(c => c.Key).Distinct(StringComparer.Ordinal).ToList();
        var papers = new Paper?[keys.Count];
        var unknown = new List<string>();
        for (int i = 0; i < keys.Count; i++)
        {
            papers[i] = context.Snapshot.ResolveKey(note, keys[i]);
            if (papers[i] is null) unknown.Add(keys[i]);
        }
        var items = new CslItem?[keys.Count];
        foreach (var file in Enumerable.Range(0, keys.Count).Where(i => papers[i] is not null).GroupBy(i => papers[i]!.SourcePath))
        {
            var indices = file.ToList();
            // A note's front-matter references map from the decoded paper: there is no library file to re-read.
            var text = LibraryFile.KindOf(file.Key) is null ? null : libraryText(file.Key);
            var mapped = CslView.ItemsFor([.. indices.Select(i => papers[i]!)], text);
            for (int j = 0; j < indices.Count; j++) items[indices[j]] = mapped[j];
        }
        return new CitedItemsResult([.. items.OfType<CslItem>()], unknown);
    }
}
