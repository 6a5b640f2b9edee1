using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary><c>unknown-citation</c>: a cited key no library the note can see defines.</summary>
internal static class UnknownCitations
{
    public static void Check(Snapshot snapshot, Note note, List<Diagnostic> into)
    {
        Dictionary<string, IReadOnlyList<string>>? suggestions = null; // a typo repeated in a note is looked up once
        foreach (var citation in note.Citations)
        {
            if (snapshot.ResolveKey(note, citation.Key) is not null) continue;
            suggestions ??= [];
            if (!suggestions.TryGetValue(citation.Key, out var didYouMean))
            {
                var local = note.FrontMatter.References.Select(p => p.Key).ToList();
                didYouMean = snapshot.Libraries.Suggester.Suggest(citation.Key);
                if (local.Count > 0)
                    didYouMean = new KeySuggester(local).Suggest(citation.Key).Concat(didYouMean).Distinct().Take(3).ToList();
                suggestions[citation.Key] = didYouMean;
            }
            var message = didYouMean.Count == 0
                ? $"unknown citation key '{citation.Key}'"
                : $"unknown citation key '{citation.Key}'; did you mean {string.Join(", ", didYouMean.Select(k => $"'{k}'"))}?";
            into.Add(new Diagnostic(note.Path, citation.KeySpan, Severity.Error, DiagnosticCodes.UnknownCitation, message, [], didYouMean));
        }
    }
}
