using PaperNotes.Core.Library;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary><c>library-syntax</c> and <c>duplicate-key</c>, reported on the library file itself.</summary>
internal static class LibraryProblems
{
    /// <summary>The other definitions one duplicate-key finding names; the rest are counted. A key defined n times has
    /// n findings, so naming every other definition in each was quadratic (12,000 copies: 144 M related locations).</summary>
    private const int MaxOthersNamed = 10;

    public static void Check(Snapshot snapshot, LibraryFile file, List<Diagnostic> into)
    {
        foreach (var error in file.Errors)
            into.Add(new Diagnostic(file.Path, error.Span, Severity.Error, DiagnosticCodes.LibrarySyntax, error.Message, [], []));

        for (int i = 0; i < file.Papers.Count; i++)
        {
            if (!snapshot.Libraries.IsDuplicate(file.KeyAt(i))) continue; // keys only: no decoding
            var paper = file.Papers[i];
            var definitions = snapshot.Libraries.DefinitionsOf(paper.Key);
            if (definitions.Count < 2) continue;
            var others = definitions.Where(d => !ReferenceEquals(d, paper)).Take(MaxOthersNamed).ToList();
            int unnamed = definitions.Count - 1 - others.Count;
            bool wins = ReferenceEquals(definitions[0], paper);
            var message = wins
                ? $"duplicate key '{paper.Key}': also defined at {string.Join(", ", others.Select(o => Location(snapshot, o)))}" +
                  $"{(unnamed > 0 ? $" and {unnamed:N0} more places" : "")}; this definition is used"
                : $"duplicate key '{paper.Key}': already defined at {Location(snapshot, definitions[0])}, which is used";
            var related = others.Select(o => new RelatedLocation(o.SourcePath, o.KeySpan, $"'{paper.Key}' also defined here")).ToList();
            into.Add(new Diagnostic(file.Path, paper.KeySpan, Severity.Warning, DiagnosticCodes.DuplicateKey, message, related, []));
        }
    }

    private static string Location(Snapshot snapshot, Paper paper)
    {
        var line = snapshot.LinesOf(paper.SourcePath)?.GetPosition(paper.KeySpan.Start).Line + 1;
        return $"{snapshot.RelativePath(paper.SourcePath)}:{line}";
    }
}
