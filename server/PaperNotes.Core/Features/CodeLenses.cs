using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Features;

/// <summary>A lens over a key: where it stands; its title and citing places come from <see cref="CodeLenses.Resolve"/>.</summary>
public sealed record CodeLensResult(TextSpan Span, string Key);

/// <summary>What clicking a lens shows: the citing places (the editor's references view).</summary>
public sealed record CitedBy(string Title, IReadOnlyList<FileLocation> Places);

/// <summary>
/// "cited in N notes" on every library entry and on a paper note's <c>citekey:</c>. Finding the lenses never
/// decodes a paper; each lens's count and places are resolved on its own (editors resolve only visible ones).
/// </summary>
public static class CodeLenses
{
    /// <summary>Larger library files get no lenses: a reference-manager export of 100,000 entries would send megabytes per request.</summary>
    public const int MaxEntries = 10_000;

    public static IReadOnlyList<CodeLensResult> Find(FeatureContext context)
    {
        if (context.Note is { } note)
            return note.FrontMatter.CiteKey is { } citeKey ? [new CodeLensResult(note.FrontMatter.CiteKeySpan, citeKey)] : [];
        if (context.Library is not { } library || library.Papers.Count > MaxEntries) return [];
        var result = new List<CodeLensResult>(library.Papers.Count);
        for (int i = 0; i < library.Papers.Count; i++)
            result.Add(new CodeLensResult(library.KeySpanAt(i), library.KeyAt(i)));
        return result;
    }

    public static CitedBy Resolve(Snapshot snapshot, string key)
    {
        var places = References.OfKey(snapshot, key, includeDeclaration: false);
        int notes = places.Select(p => p.Path).Distinct().Count();
        return new CitedBy(notes switch { 0 => "not cited", 1 => "cited in 1 note", _ => $"cited in {notes} notes" }, places);
    }
}
