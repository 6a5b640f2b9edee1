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
        citations.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        links.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
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

    /// <summary>Top-level paragraphs set off by blank lines that start at column 0 and end at their line's end.</summary>
    private static List<TextSpan> StandaloneParagraphs(MarkdownDocument document, string text)
    {
        var found = new List<TextSpan>();
        foreach (var block in document)
        {
            if (block.GetType() != typeof(ParagraphBlock)) continue;
            var span = ToSpan(block.Span);
            if (span.Length == 0 || IsInlineSpace(text[span.Start])) continue;
            if (!IncrementalNote.FollowsBlankLine(text, span.Start)) continue;
            if (!IncrementalNote.PrecedesBlankLine(text, span.End)) continue;
            found.Add(span);
        }
        return found;
    }

    private static bool IsInlineSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    /// <summary>Parses one standalone paragraph's text alone: its citations, links and excluded spans relative to
    /// <paramref name="offset"/> in <paramref name="text"/>; false unless it is exactly one paragraph covering it.</summary>
    internal static bool TryParseParagraph(string text, TextSpan paragraph,
        List<Citation> citations, List<WikiLink> links, List<TextSpan> verbatim, out string? plainText)
    {
        plainText = null;
        var document = Markdown.Parse(text.Substring(paragraph.Start, paragraph.Length), Pipeline);
        if (document.Count != 1 || document[0].GetType() != typeof(ParagraphBlock) || document[0] is not ParagraphBlock { Inline: { } inline } leaf)
            return false;
        var span = ToSpan(leaf.Span);
        if (span.Start != 0 || span.Length != paragraph.Length) return false;
        var excluded = new List<TextSpan>();
        CollectExcluded(inline, excluded);
        for (int i = 0; i < excluded.Count; i++) excluded[i] = new TextSpan(excluded[i].Start + paragraph.Start, excluded[i].Length);
        verbatim.AddRange(MergeOverlaps(excluded));
        new InlineScanner(text, citations, links).Scan(paragraph, excluded);
        plainText = PlainText(text.Substring(paragraph.Start, paragraph.Length), inline);
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
