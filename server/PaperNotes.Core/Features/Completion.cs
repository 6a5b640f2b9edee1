using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

public enum CompletionKind { Paper, Note }

/// <summary>One proposal. <see cref="FilterText"/> keeps editors' own fuzzy filters from dropping a title or author match.</summary>
public sealed record CompletionEntry(
    string Label, string? Description, string? Detail, string InsertText, string FilterText, string SortText,
    CompletionKind Kind, string? Key);

public sealed record CompletionResult(TextSpan Replace, IReadOnlyList<CompletionEntry> Items, bool IsIncomplete);

/// <summary>Completion after <c>@</c> (papers, ranked by the search index) and after <c>[[</c> (notes and paper notes).</summary>
public static class Completion
{
    public const int Limit = 50;

    public static CompletionResult? Find(FeatureContext context, string text, int offset)
    {
        if (context.Note is not { } note || offset < 0 || offset > text.Length || note.IsVerbatim(Math.Max(0, offset - 1)))
            return null;
        return Citation(context, note, text, offset) ?? WikiLink(context, text, offset);
    }

    private static CompletionResult? Citation(FeatureContext context, Note note, string text, int offset)
    {
        // Walk back over what is being typed to the '@' that starts it.
        int start = offset;
        while (start > 0 && IsFragmentChar(text[start - 1])) start--;
        bool braced = start > 0 && text[start - 1] == '{' && start > 1 && text[start - 2] == '@';
        int at = braced ? start - 2 : start - 1;
        if (at < 0 || text[at] != '@') return null;
        if (at > 0 && char.IsLetterOrDigit(text[at - 1])) return null; // an e-mail address
        int end = offset;
        while (end < text.Length && IsFragmentChar(text[end])) end++;
        var fragment = text[start..offset];

        var items = new List<CompletionEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // The note's own front-matter references first: only this note sees them.
        foreach (var paper in note.FrontMatter.References)
            if (Matches(paper, fragment) && seen.Add(paper.Key)) items.Add(PaperEntry(paper.Key, paper.Title, PaperMarkdown.Short(paper), fragment, items.Count));
        var hits = context.Snapshot.Libraries.Search.Search(fragment, Limit);
        // A hit's title and who-and-when come from the search index: listing 50 hits decodes no paper.
        foreach (var hit in hits)
            if (seen.Add(hit.Key)) items.Add(PaperEntry(hit.Key, hit.Title, hit.Short, fragment, items.Count));
        return new CompletionResult(TextSpan.FromBounds(start, end), items, IsIncomplete: hits.Count >= Limit || fragment.Length == 0);
    }

    private static bool IsFragmentChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':' or '.' or '#' or '$' or '%' or '&' or '-' or '+' or '?' or '<' or '>' or '~' or '/';

    private static bool Matches(Paper paper, string fragment) =>
        fragment.Length == 0 || paper.Key.StartsWith(fragment, StringComparison.OrdinalIgnoreCase)
        || (paper.Title?.Contains(fragment, StringComparison.OrdinalIgnoreCase) ?? false);

    private static CompletionEntry PaperEntry(string key, string? title, string who, string fragment, int rank)
    {
        // Editors filter the list again with what was typed: start the filter text with it so every
        // server-ranked hit survives (title, author and abstract matches too) and sortText keeps our order.
        var filter = $"{fragment} {key} {title}";
        if (filter.Length > 120) filter = filter[..120];
        return new CompletionEntry(key, title, who, CitationSyntax.Format(key),
            filter, rank.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), CompletionKind.Paper, key);
    }

    private static CompletionResult? WikiLink(FeatureContext context, string text, int offset)
    {
        int lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1; // (a '\n' at offset 0 is after it)
        int open = text.LastIndexOf("[[", Math.Max(0, offset - 1), offset - lineStart, StringComparison.Ordinal);
        if (open < 0) return null;
        int start = open + 2;
        var typed = text[start..offset];
        if (typed.Contains(']') || typed.Contains('|')) return null;
        int end = offset;
        while (end < text.Length && text[end] is not (']' or '|' or '\n' or '\r')) end++;

        var snapshot = context.Snapshot;
        var items = new List<CompletionEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // As for papers: filter texts start with what was typed, so a match inside a key or a title survives
        // the editor's own prefix filter.
        foreach (var key in snapshot.Notes.PaperNoteKeys.Order(StringComparer.Ordinal))
        {
            if (!key.Contains(typed, StringComparison.OrdinalIgnoreCase) || !seen.Add(key)) continue;
            var title = snapshot.Notes.PaperNoteOf(key)?.Title;
            items.Add(new CompletionEntry(key, title, "paper note", key, $"{typed} {key} {title}", "0" + key, CompletionKind.Note, key));
        }
        foreach (var note in snapshot.Notes.Notes.Values)
        {
            if (note.Path == context.Path || !seen.Add(note.Name)) continue;
            if (!note.Name.Contains(typed, StringComparison.OrdinalIgnoreCase) && !note.Title.Contains(typed, StringComparison.OrdinalIgnoreCase)) continue;
            items.Add(new CompletionEntry(note.Name, note.Title, snapshot.RelativePath(note.Path), note.Name,
                $"{typed} {note.Name} {note.Title}", "1" + note.Name, CompletionKind.Note, null));
            if (items.Count >= 200) break;
        }
        return new CompletionResult(TextSpan.FromBounds(start, end), items, IsIncomplete: items.Count >= 200);
    }
}
