using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

public enum SymbolKind { Paper, Note, Heading }

public sealed record SymbolEntry(string Name, string? Detail, SymbolKind Kind, string Path, TextSpan Span, IReadOnlyList<SymbolEntry> Children);

/// <summary>Workspace symbols (papers by key, title words and authors; notes by name and title) and document outlines.</summary>
public static class Symbols
{
    public const int WorkspaceLimit = 200;

    public static IReadOnlyList<SymbolEntry> Workspace(Workspace.Snapshot snapshot, string query)
    {
        var result = new List<SymbolEntry>();
        foreach (var note in snapshot.Notes.Notes.Values)
        {
            if (query.Length > 0 && !note.Name.Contains(query, StringComparison.OrdinalIgnoreCase)
                && !note.Title.Contains(query, StringComparison.OrdinalIgnoreCase)) continue;
            result.Add(new SymbolEntry(note.Title, snapshot.RelativePath(note.Path), SymbolKind.Note, note.Path, new TextSpan(0, 0), []));
            if (result.Count >= WorkspaceLimit / 4) break;
        }
        foreach (var hit in snapshot.Libraries.Search.Search(query, WorkspaceLimit - result.Count))
            result.Add(new SymbolEntry($"@{hit.Paper.Key}", hit.Paper.Title, SymbolKind.Paper, hit.Paper.SourcePath, hit.Paper.KeySpan, []));
        return result;
    }

    /// <summary>A note's headings as a tree; a library file's entries.</summary>
    public static IReadOnlyList<SymbolEntry> Document(FeatureContext context)
    {
        if (context.Note is { } note) return Outline(note);
        if (context.Library is { } library)
            return library.Papers.Select(p => new SymbolEntry(p.Key, p.Title, SymbolKind.Paper, p.SourcePath, p.EntrySpan, [])).ToList();
        return [];
    }

    private static IReadOnlyList<SymbolEntry> Outline(Note note)
    {
        // Each heading owns the text up to the next heading of the same or a higher level.
        var roots = new List<SymbolEntry>();
        var stack = new List<(int Level, List<SymbolEntry> Children, int Index, List<SymbolEntry> Parent)>();
        var headings = note.Headings;
        for (int i = 0; i < headings.Count; i++)
        {
            var h = headings[i];
            int end = note.Lines.Length;
            for (int j = i + 1; j < headings.Count; j++)
                if (headings[j].Level <= h.Level) { end = headings[j].Span.Start; break; }
            while (stack.Count > 0 && stack[^1].Level >= h.Level) stack.RemoveAt(stack.Count - 1);
            var parent = stack.Count > 0 ? stack[^1].Children : roots;
            var children = new List<SymbolEntry>();
            parent.Add(new SymbolEntry(h.Text.Length > 0 ? h.Text : "(empty heading)", null, SymbolKind.Heading, note.Path,
                TextSpan.FromBounds(h.Span.Start, Math.Max(h.Span.End, end)), children));
            stack.Add((h.Level, children, parent.Count - 1, parent));
        }
        return roots;
    }
}
