using PaperNotes.Core.Diagnostics;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Features;

/// <summary>A quick fix: text edits and, optionally, a new file to create with its content; or a place to open
/// (<see cref="OpenUri"/>: the paper's PDF, its paper note).</summary>
public sealed record CodeAction(string Title, bool IsPreferred, IReadOnlyList<FileEdit> Edits, string? CreatePath = null, string? CreateText = null,
    string? OpenUri = null);

/// <summary>
/// Quick fixes: replace an unknown key with each "did you mean" suggestion; create the paper note of a
/// known key that has none (<c>notes/papers/KEY.md</c> with <c>citekey</c> and title). On a known key also
/// "Open PDF" (an attached file that exists) and "Open paper note".
/// </summary>
public static class CodeActions
{
    public static IReadOnlyList<CodeAction> Find(FeatureContext context, TextSpan range)
    {
        if (context.Note is not { } note) return [];
        var snapshot = context.Snapshot;
        var actions = new List<CodeAction>();
        foreach (var citation in note.Citations)
        {
            if (citation.Span.End < range.Start || citation.Span.Start > range.End) continue;
            if (snapshot.ResolveKey(note, citation.Key) is { } paper)
            {
                foreach (var file in context.ExistingAttachments(paper).Take(3))
                    actions.Add(new CodeAction(file.IsPdf ? $"Open PDF of @{paper.Key}" : $"Open {System.IO.Path.GetFileName(file.Path)}", false, [],
                        OpenUri: PaperMarkdown.FileUri(file.Path)));
                if (snapshot.Notes.PaperNoteOf(paper.Key) is { } paperNote)
                {
                    if (paperNote.Path != note.Path)
                        actions.Add(new CodeAction($"Open paper note of @{paper.Key}", false, [], OpenUri: PaperMarkdown.FileUri(paperNote.Path)));
                }
                else actions.Add(CreatePaperNote(snapshot, paper.Key, paper.Title));
                continue;
            }
            var suggestions = UnknownCitations.DidYouMean(snapshot, note, citation.Key);
            for (int i = 0; i < suggestions.Count; i++)
                actions.Add(new CodeAction($"Replace with '@{suggestions[i]}'", i == 0,
                    [new FileEdit(note.Path, citation.KeySpan, suggestions[i])]));
        }
        foreach (var link in note.WikiLinks)
        {
            if (link.Span.End < range.Start || link.Span.Start > range.End) continue;
            if (snapshot.ResolveWikiLink(note, link.Target) is null && snapshot.ResolveKey(note, link.Target) is { } paper)
                actions.Add(CreatePaperNote(snapshot, paper.Key, paper.Title));
        }
        return actions.DistinctBy(a => a.Title).ToList();
    }

    public static CodeAction CreatePaperNote(Snapshot snapshot, string key, string? title)
    {
        var path = PathUtil.Combine(snapshot.Root, $"notes/papers/{SafeFileName(key)}.md");
        var heading = title ?? key;
        var text = $"---\ncitekey: {YamlScalar(key)}\ntitle: {YamlScalar(heading)}\n---\n\n# {heading}\n\n";
        return new CodeAction($"Create paper note for @{key}", false, [], path, text);
    }

    private static string SafeFileName(string key) =>
        new(key.Select(c => c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' ? '_' : c).ToArray());

    private static string YamlScalar(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
