using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Notes;

/// <summary>
/// Builds a <see cref="Note"/> from Markdown text with Markdig's syntax tree: only paragraph and heading
/// text is scanned for citations; code (spans, fenced, indented), HTML, link destinations, autolinks,
/// bare URLs, math and front matter never are. Never throws.
/// </summary>
public static class NoteParser
{
    // Common extensions, minus those that would reinterpret citation syntax (generic attributes read
    // "{...}", smarty pants rewrites quotes, citations-extension is unrelated "cite" markup).
    internal static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePreciseSourceLocation()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .UseGridTables()
        .UseFootnotes()
        .UseDefinitionLists()
        .UseTaskLists()
        .UseMathematics()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseAlertBlocks()
        .Build();

    public static Note Parse(string path, string text)
    {
        var lines = LineIndex.Create(text);
        if (BinaryText.FirstNul(text) is var nul and >= 0)
            return new Note(path, lines, FrontMatter.Empty, [], [], [], null, [new NoteError(new TextSpan(nul, 1), BinaryText.Message)], []);
        var errors = new List<NoteError>();
        // The same text with whatever passes the nesting bounds blanked: offsets and lines are unchanged.
        var source = MarkdownGuard.Bound(text, errors, out long work);
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(source, Pipeline);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Markdig is robust, but a note must never take the server down: degrade to "no structure".
            errors.Add(new NoteError(new TextSpan(0, 0), $"could not parse Markdown: {e.Message}"));
            return new Note(path, lines, FrontMatter.Empty, [], [], [], null, errors, []);
        }

        var frontMatter = FrontMatter.Empty;
        var citations = new List<Citation>();
        var links = new List<WikiLink>();
        var headings = new List<Heading>();
        string? firstParagraph = null;
        int firstParagraphStart = -1;
        bool definitions = false; // link or footnote definitions: text elsewhere parses differently with them
        var scanner = new InlineScanner(source, citations, links);
        var excluded = new List<TextSpan>();
        var verbatim = new List<TextSpan>();

        foreach (var block in document.Descendants())
        {
            switch (block)
            {
                case YamlFrontMatterBlock yaml:
                    frontMatter = FrontMatterReader.Read(path, source, ToSpan(yaml.Span), errors);
                    verbatim.Add(ToSpan(yaml.Span));
                    break;
                case LinkReferenceDefinitionGroup or LinkReferenceDefinition or Markdig.Extensions.Footnotes.FootnoteGroup:
                    definitions = true;
                    break;
                case CodeBlock or HtmlBlock:
                    verbatim.Add(ToSpan(block.Span));
                    break;
                case LeafBlock { Inline: { } inline } leaf:
                    excluded.Clear();
                    CollectExcluded(inline, excluded);
                    verbatim.AddRange(excluded);
                    var region = ToSpan(leaf.Span);
                    scanner.Scan(region, excluded);
                    if (leaf is HeadingBlock heading)
                        headings.Add(new Heading(heading.Level, PlainText(source, inline), region));
                    else if (firstParagraph is null && leaf is ParagraphBlock && leaf.Parent is MarkdownDocument)
                    {
                        firstParagraph = PlainText(source, inline);
                        firstParagraphStart = region.Start;
                    }
                    break;
            }
        }
        InSourceOrder(citations, links);
        verbatim.Sort((a, b) => a.Start.CompareTo(b.Start));
        var layout = errors.Count == 0 && !definitions
            ? new NoteLayout(text, StandaloneParagraphs(document, text), firstParagraphStart, work)
            : NoteLayout.None;
        return new Note(path, lines, frontMatter, citations, links, headings, firstParagraph, errors, MergeOverlaps(verbatim)) { Layout = layout };
    }

    /// <summary>
    /// The note with <paramref name="text"/>, an edited version of the text <paramref name="previous"/> was parsed
    /// from. When the edit lies inside one line of a standalone paragraph
    /// (<see cref="NoteLayout"/>) and that paragraph still parses alone as one paragraph, only it is parsed again and
    /// the rest is moved by the edit's length; else the whole text is parsed. Either way the result equals
    /// <see cref="Parse"/>'s (a property test holds the two to it).
    /// </summary>
    public static Note Update(Note previous, string text) =>
        IncrementalNote.TryUpdate(previous, text) ?? Parse(previous.Path, text);

    /// <summary>
    /// Sorts by position and drops repeats. Markdig gives a pipe table's text twice (the rows, and the cells), so a
    /// citation in a table was found twice, in two bracket contexts: the first kind found at a place is kept
    /// (bracketed before suppressed-author before in-text), the same whichever way the note was parsed.
    /// </summary>
    internal static void InSourceOrder(List<Citation> citations, List<WikiLink> links)
    {
        citations.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : a.Form.CompareTo(b.Form));
        citations.RemoveAll(IsRepeat(citations, c => c.Span));
        links.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        links.RemoveAll(IsRepeat(links, l => l.Span));
    }

    private static Predicate<T> IsRepeat<T>(List<T> sorted, Func<T, TextSpan> spanOf)
    {
        // RemoveAll visits in order: an item is a repeat when the last one kept has its span.
        TextSpan? last = null;
        return item =>
        {
            var span = spanOf(item);
            if (last == span) return true;
            last = span;
            return false;
        };
    }

    /// <summary>Top-level paragraphs and ATX headings set off by blank lines that start at column 0 and end at their line's end.</summary>
    private static List<TextSpan> StandaloneParagraphs(MarkdownDocument document, string text)
    {
        var found = new List<TextSpan>();
        foreach (var block in document)
            if (IsStandalone(block, text, 0, text.Length) is { } span) found.Add(span);
        return found;
    }

    /// <summary>The block's span in <paramref name="text"/> (the block was parsed from the text at <paramref name="offset"/>)
    /// when it is a paragraph or an ATX heading set off by blank lines, starting at column 0, ending by
    /// <paramref name="to"/>; else null.</summary>
    private static TextSpan? IsStandalone(Block block, string text, int offset, int to)
    {
        if (block.GetType() != typeof(ParagraphBlock) && block is not HeadingBlock { IsSetext: false }) return null;
        var local = ToSpan(block.Span);
        var span = new TextSpan(local.Start + offset, local.Length);
        if (span.Length == 0 || IsInlineSpace(text[span.Start])) return null;
        if (span.End > to || !IncrementalNote.FollowsBlankLine(text, span.Start) || !IncrementalNote.PrecedesBlankLine(text, span.End)) return null;
        return span;
    }

    private static bool IsInlineSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    /// <summary>The blocks of <paramref name="region"/> of <paramref name="text"/> parsed alone, when they are all
    /// standalone paragraphs and ATX headings (see <see cref="IsStandalone"/>): their spans, citations, links, excluded
    /// spans, headings and the plain text of the first paragraph. False for anything else.</summary>
    internal static bool TryParseStandalone(string text, TextSpan region, List<TextSpan> blocks, List<Citation> citations,
        List<WikiLink> links, List<TextSpan> verbatim, List<Heading> headings, out string? firstParagraph)
    {
        firstParagraph = null;
        var document = Markdown.Parse(text.Substring(region.Start, region.Length), Pipeline);
        var scanner = new InlineScanner(text, citations, links);
        foreach (var block in document)
        {
            if (IsStandalone(block, text, region.Start, region.End) is not { } span || block is not LeafBlock { Inline: { } inline } leaf) return false;
            // The region's blank lines around it are the note's own: the block is the same in the whole note.
            var excluded = new List<TextSpan>();
            CollectExcluded(inline, excluded);
            for (int i = 0; i < excluded.Count; i++) excluded[i] = new TextSpan(excluded[i].Start + region.Start, excluded[i].Length);
            verbatim.AddRange(MergeOverlaps(excluded));
            scanner.Scan(span, excluded);
            if (leaf is HeadingBlock heading) headings.Add(new Heading(heading.Level, PlainText(text, inline), span));
            else firstParagraph ??= PlainText(text, inline);
            blocks.Add(span);
        }
        InSourceOrder(citations, links);
        return true;
    }

    private static void CollectExcluded(ContainerInline root, List<TextSpan> excluded)
    {
        foreach (var inline in root.Descendants<Inline>())
        {
            switch (inline)
            {
                case CodeInline or HtmlInline or AutolinkInline or MathInline or HtmlEntityInline:
                    Add(excluded, ToSpan(inline.Span));
                    break;
                case LinkInline { IsAutoLink: true } auto:
                    Add(excluded, ToSpan(auto.Span));
                    break;
                case LinkInline link:
                    if (!link.UrlSpan.IsEmpty) Add(excluded, ToSpan(link.UrlSpan));
                    if (!link.TitleSpan.IsEmpty) Add(excluded, ToSpan(link.TitleSpan));
                    break;
            }
        }
        excluded.Sort((a, b) => a.Start.CompareTo(b.Start));
    }

    private static List<TextSpan> MergeOverlaps(List<TextSpan> sorted)
    {
        var merged = new List<TextSpan>(sorted.Count);
        foreach (var span in sorted)
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
                merged[^1] = TextSpan.FromBounds(merged[^1].Start, Math.Max(merged[^1].End, span.End));
            else merged.Add(span);
        }
        return merged;
    }

    private static void Add(List<TextSpan> spans, TextSpan span)
    {
        if (span.Length > 0) spans.Add(span);
    }

    // Markdig spans are inclusive at the end.
    private static TextSpan ToSpan(SourceSpan span) =>
        span.IsEmpty || span.Start < 0 ? new TextSpan(Math.Max(0, span.Start), 0) : TextSpan.FromBounds(span.Start, span.End + 1);

    private const int MaxPlainText = 1000;

    /// <summary>The inline's literal text (emphasis and links flattened), for headings and summaries; capped,
    /// since a summary never needs a whole 5,000-line paragraph.</summary>
    private static string PlainText(string text, ContainerInline inline)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var child in inline.Descendants<Inline>())
        {
            if (sb.Length > MaxPlainText) break;
            switch (child)
            {
                case LiteralInline literal: sb.Append(literal.Content.AsSpan()); break;
                case CodeInline code: sb.Append(code.Content); break;
                case LineBreakInline: sb.Append(' '); break;
            }
        }
        return sb.ToString().Trim();
    }
}
