using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Diagnostics;

/// <summary>The one place that runs every check; results sorted by position.</summary>
public static class DiagnosticCollector
{
    public static IReadOnlyList<Diagnostic> ForNote(Snapshot snapshot, Note note)
    {
        var list = new List<Diagnostic>();
        UnknownCitations.Check(snapshot, note, list);
        BrokenLinks.Check(snapshot, note, list);
        NoteProblems.Check(snapshot, note, list);
        return Sorted(list);
    }

    public static IReadOnlyList<Diagnostic> ForLibrary(Snapshot snapshot, LibraryFile file, DiagnosticOptions? options = null)
    {
        var list = new List<Diagnostic>();
        LibraryProblems.Check(snapshot, file, list);
        if (options is { UnusedEntriesUpTo: > 0 }) UnusedEntries.Check(snapshot, file, options, list);
        return Sorted(list);
    }

    /// <summary>Diagnostics of every file (library files, then notes), keyed by path. Files without findings are absent.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Diagnostic>> ForWorkspace(Snapshot snapshot, DiagnosticOptions? options = null)
    {
        // Files are independent given the snapshot: check them on every core.
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<Diagnostic>>(StringComparer.Ordinal);
        Parallel.ForEach(snapshot.Libraries.Files.Values, file =>
        {
            if (ForLibrary(snapshot, file, options) is { Count: > 0 } list) found[file.Path] = list;
        });
        Parallel.ForEach(snapshot.Notes.Notes.Values, note =>
        {
            if (ForNote(snapshot, note) is { Count: > 0 } list) found[note.Path] = list;
        });
        return new SortedDictionary<string, IReadOnlyList<Diagnostic>>(found, StringComparer.Ordinal);
    }

    private static IReadOnlyList<Diagnostic> Sorted(List<Diagnostic> list)
    {
        list.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : string.CompareOrdinal(a.Code, b.Code));
        return list;
    }
}
