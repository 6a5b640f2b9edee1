using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary><c>broken-link</c>: a wiki link that resolves to no note.</summary>
internal static class BrokenLinks
{
    public static void Check(Snapshot snapshot, Note note, List<Diagnostic> into)
    {
        foreach (var link in note.WikiLinks)
        {
            if (snapshot.ResolveWikiLink(note, link.Target) is not null) continue;
            // A library key with no paper note yet: say so, the quick fix can create that note.
            var message = snapshot.Knows(note, link.Target)
                ? $"no note for '[[{link.Target}]]': '{link.Target}' is a library key without a paper note"
                : $"broken link: no note named '{link.Target}'";
            into.Add(new Diagnostic(note.Path, link.TargetSpan, Severity.Error, DiagnosticCodes.BrokenLink, message, [], []));
        }
    }
}
