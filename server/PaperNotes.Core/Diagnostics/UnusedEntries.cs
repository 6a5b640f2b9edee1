using PaperNotes.Core.Library;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary>
/// <c>unused-entry</c>: a library entry no note cites (and that has no paper note), as a hint that editors fade.
/// Only for library files up to <see cref="DiagnosticOptions.UnusedEntriesUpTo"/> entries: a reference manager's
/// export of 100,000 papers is not meant to be cited whole and must not light up.
/// </summary>
internal static class UnusedEntries
{
    public static void Check(Snapshot snapshot, LibraryFile file, DiagnosticOptions options, List<Diagnostic> into)
    {
        if (file.Papers.Count > options.UnusedEntriesUpTo) return;
        for (int i = 0; i < file.Papers.Count; i++)
        {
            var key = file.KeyAt(i); // keys only: no decoding
            if (!snapshot.Libraries.IsWinner(file, i)) continue; // a losing duplicate has its own warning
            if (snapshot.Notes.CitersOf(key).Count > 0 || snapshot.Notes.PaperNoteOf(key) is not null) continue;
            into.Add(new Diagnostic(file.Path, file.EntrySpanAt(i), Severity.Hint, DiagnosticCodes.UnusedEntry,
                $"'{key}' is not cited by any note", [], []) { Unnecessary = true });
        }
    }
}
