using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary><c>unknown-citation</c>: a cited key no library the note can see defines.</summary>
public static class UnknownCitations
{
    internal static void Check(Snapshot snapshot, Note note, List<Diagnostic> into)
    {
        Dictionary<string, IReadOnlyList<string>>? suggestions = null; // a typo repeated in a note is looked up once
        foreach (var citation in note.Citations)
        {
            if (snapshot.Knows(note, citation.Key)) continue;
            suggestions ??= [];
            if (!suggestions.TryGetValue(citation.Key, out var didYouMean))
                suggestions[citation.Key] = didYouMean = DidYouMean(snapshot, note, citation.Key);
            var message = didYouMean.Count == 0
                ? $"unknown citation key '{citation.Key}'"
                : $"unknown citation key '{citation.Key}'; did you mean {string.Join(", ", didYouMean.Select(k => $"'{k}'"))}?";
            into.Add(new Diagnostic(note.Path, citation.KeySpan, Severity.Error, DiagnosticCodes.UnknownCitation, message, [], didYouMean));
        }
    }

    /// <summary>Up to three keys the note can see that are close to <paramref name="key"/>: its own front-matter
    /// references first, then the libraries'. Used by the diagnostic and by its quick fixes.</summary>
    public static IReadOnlyList<string> DidYouMean(Snapshot snapshot, Note note, string key)
    {
        var fromLibraries = snapshot.Libraries.SuggestKeys(key);
        var local = note.FrontMatter.References.Select(p => p.Key).ToList();
        return local.Count == 0 ? fromLibraries : new KeySuggester(local).Suggest(key).Concat(fromLibraries).Distinct().Take(3).ToList();
    }
}
