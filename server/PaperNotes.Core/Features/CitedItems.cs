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
    /// first, then the libraries), each library entry read again from the text its file in the snapshot keeps (the
    /// editor's while the file is open, as the snapshot was built from it): only the cited entries, each file's in one
    /// pass. Null for a file that is not a note.
    /// </summary>
    public static CitedItemsResult? Find(FeatureContext context)
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
            var cited = indices.Select(i => papers[i]!).ToList();
            // A note's front-matter references map from the decoded paper: there is no library file to re-read.
            var mapped = context.Snapshot.Libraries.Files.TryGetValue(file.Key, out var library)
                ? LibraryCslItems.For(library, cited)
                : [.. cited.Select(CslView.FromPaper)];
            for (int j = 0; j < indices.Count; j++) items[indices[j]] = mapped[j];
        }
        return new CitedItemsResult([.. items.OfType<CslItem>()], unknown);
    }
}
