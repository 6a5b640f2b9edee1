using PaperNotes.Core.Library;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Notes;

/// <summary>How a citation was written, as pandoc distinguishes them.</summary>
public enum CitationForm
{
    /// <summary>Inside brackets: <c>[@key]</c>, <c>[see @key, p. 33; @other]</c>.</summary>
    Bracketed,
    /// <summary>Inside brackets with a minus: <c>[-@key]</c>.</summary>
    SuppressAuthor,
    /// <summary>In the running text: <c>@key says</c>.</summary>
    InText,
}

/// <summary>One cited key. <see cref="Span"/> covers <c>@key</c> (or <c>@{key}</c>), <see cref="KeySpan"/> only the key.</summary>
public sealed record Citation(string Key, TextSpan Span, TextSpan KeySpan, CitationForm Form);

/// <summary>A wiki link <c>[[target]]</c> or <c>[[target|label]]</c>.</summary>
public sealed record WikiLink(string Target, string? Label, TextSpan Span, TextSpan TargetSpan);

public sealed record Heading(int Level, string Text, TextSpan Span);

/// <summary>A front-matter <c>bibliography:</c> entry as written (relative to the note) and where.</summary>
public sealed record BibliographyRef(string Path, TextSpan Span);

/// <summary>A problem in the note itself (front matter that is not YAML, a bad references item).</summary>
public sealed record NoteError(TextSpan Span, string Message);

/// <summary>What pandoc reads from a note's YAML front matter, plus our <c>citekey</c>.</summary>
public sealed record FrontMatter(
    TextSpan Span,
    string? Title,
    string? CiteKey,
    TextSpan CiteKeySpan,
    IReadOnlyList<BibliographyRef> Bibliography,
    IReadOnlyList<Paper> References)
{
    public static readonly FrontMatter Empty = new(default, null, null, default, [], []);
}

/// <summary>
/// A parsed note: everything the features need, built once per text version (immutable).
/// Citations and links are in source order.
/// </summary>
public sealed record Note(
    string Path,
    LineIndex Lines,
    FrontMatter FrontMatter,
    IReadOnlyList<Citation> Citations,
    IReadOnlyList<WikiLink> WikiLinks,
    IReadOnlyList<Heading> Headings,
    string? FirstParagraph,
    IReadOnlyList<NoteError> Errors,
    IReadOnlyList<TextSpan> Verbatim)
{
    /// <summary>What an edit of the text can reuse (see <see cref="NoteParser.Update"/>); empty: parse it whole.</summary>
    internal NoteLayout Layout { get; init; } = NoteLayout.None;

    /// <summary>True when the offset lies in code, HTML, a URL, math or front matter: no citation can start there.</summary>
    public bool IsVerbatim(int offset)
    {
        int lo = 0, hi = Verbatim.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var span = Verbatim[mid];
            if (span.End <= offset) lo = mid + 1;
            else if (span.Start > offset) hi = mid - 1;
            else return true;
        }
        return false;
    }

    /// <summary>File name without folder and without .md: what <c>[[name]]</c> refers to.</summary>
    public string Name => NotePaths.NameOf(Path);

    /// <summary>Front-matter title, else the first level-1 heading, else the file name.</summary>
    public string Title => FrontMatter.Title ?? Headings.FirstOrDefault(h => h.Level == 1)?.Text ?? Name;

    public Citation? CitationAt(int offset) => FindAt(Citations, offset, c => c.Span);

    public WikiLink? WikiLinkAt(int offset) => FindAt(WikiLinks, offset, l => l.Span);

    // Items are in source order and never overlap, so a binary search finds the one touching the offset.
    private static T? FindAt<T>(IReadOnlyList<T> items, int offset, Func<T, TextSpan> spanOf) where T : class
    {
        int lo = 0, hi = items.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var span = spanOf(items[mid]);
            if (span.End < offset) lo = mid + 1;
            else if (span.Start > offset) hi = mid - 1;
            else return items[mid];
        }
        return null;
    }
}

public static class NotePaths
{
    public static bool IsNote(string path) =>
        path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase);

    public static string NameOf(string path)
    {
        int slash = path.LastIndexOf('/');
        var file = slash >= 0 ? path[(slash + 1)..] : path;
        int dot = file.LastIndexOf('.');
        return dot > 0 ? file[..dot] : file;
    }
}

/// <summary>
/// The note's top-level paragraphs and ATX headings that stand alone: set off by blank lines (or the note's start and
/// end), starting at column 0, in a note without link or footnote definitions (those change how text elsewhere
/// parses) and without errors. An edit inside such a block can re-parse that block alone.
/// </summary>
/// <param name="Source">The text the note was parsed from (the edit is found by comparing it with the new text).</param>
/// <param name="Paragraphs">The standalone blocks, from the first line's start to the last line's end, in order.</param>
/// <param name="FirstParagraphStart">Where the paragraph <see cref="Note.FirstParagraph"/> comes from starts, or -1.</param>
/// <param name="MarkupWork">An upper bound of the inline work the whole text costs <see cref="MarkdownGuard"/>.</param>
internal sealed record NoteLayout(string Source, IReadOnlyList<TextSpan> Paragraphs, int FirstParagraphStart, long MarkupWork)
{
    public static readonly NoteLayout None = new("", [], -1, 0);
}
