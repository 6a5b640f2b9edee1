using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary><c>missing-bibliography</c> and <c>front-matter</c>: problems in a note's own front matter.</summary>
internal static class NoteProblems
{
    public static void Check(Snapshot snapshot, Note note, List<Diagnostic> into)
    {
        foreach (var (reference, path) in snapshot.BibliographyOf(note))
        {
            if (snapshot.Libraries.Files.ContainsKey(path)) continue;
            into.Add(new Diagnostic(note.Path, reference.Span, Severity.Error, DiagnosticCodes.MissingBibliography,
                $"bibliography file '{reference.Path}' not found", [], []));
        }
        foreach (var error in note.Errors)
            into.Add(new Diagnostic(note.Path, error.Span, Severity.Error, DiagnosticCodes.FrontMatter, error.Message, [], []));
    }
}
