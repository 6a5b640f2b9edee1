using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary><c>missing-bibliography</c> and <c>front-matter</c>: problems in a note's own front matter; <c>note-syntax</c>:
/// Markdown past the nesting bounds, a binary file.</summary>
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
        var frontMatter = note.FrontMatter.Span;
        foreach (var error in note.Errors)
        {
            bool inFrontMatter = error.Span.Start >= frontMatter.Start && error.Span.Start < frontMatter.End;
            into.Add(new Diagnostic(note.Path, error.Span, Severity.Error,
                inFrontMatter ? DiagnosticCodes.FrontMatter : DiagnosticCodes.NoteSyntax, error.Message, [], []));
        }
    }
}
