using PaperNotes.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PaperNotes.Core.Library.Csl;

/// <summary>Parses CSL-YAML as pandoc writes it: a <c>references:</c> list or a bare list. Never throws.</summary>
public static class CslYamlParser
{
    private const int MaxDepth = BoundedYamlParser.MaxDepth; // the parser already stops there; Convert's stack stays bounded regardless

    /// <summary>The file's papers and errors; it keeps its text for the CSL view.</summary>
    public static LibraryFile Parse(string path, string text) =>
        Parse(path, text, null) with { Source = new LibrarySource(SourceText.Keep(text), LibraryKind.CslYaml) };

    /// <summary>As <see cref="Parse(string, string)"/>; every item read also goes to <paramref name="nodes"/> (the CSL view).</summary>
    internal static LibraryFile Parse(string path, string text, List<CslNode>? nodes)
    {
        var papers = new List<Paper>();
        var errors = new List<LibraryError>();
        var stream = new YamlStream();
        var parser = new BoundedYamlParser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            // Documents loaded before the error are in stream.Documents and still count.
            errors.Add(new LibraryError(SpanOf(ex.Start, ex.End, 0), "Invalid YAML: " + CleanMessage(ex)));
        }
        // Alias problems come before the point where a syntax error stopped the parser.
        errors.InsertRange(0, parser.Problems.Select(p => new LibraryError(SpanOf(p.Start, p.End, 0), p.Message)));
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlSequenceNode list:
                    ReadItems(path, list, 0, text, papers, errors, nodes);
                    break;
                case YamlMappingNode map when Find(map, "references") is { } references:
                    ReadItems(path, references, 0, text, papers, errors, nodes);
                    break;
                case YamlScalarNode { Value: null or "" or "~" or "null" }:
                    break; // an empty document
                case var other:
                    errors.Add(new LibraryError(SpanOf(other.Start, other.Start, 0),
                        "Expected a `references:` list of CSL items."));
                    break;
            }
        }
        return new LibraryFile(path, papers, errors, LineIndex.Create(text));
    }

    /// <summary>Reads CSL items from a YAML sequence (a note's front-matter `references:`).
    /// Spans are the node marks' indexes plus <paramref name="offsetDelta"/>.</summary>
    public static void ReadItems(string path, YamlNode node, int offsetDelta,
        ICollection<Paper> papers, ICollection<LibraryError> errors) =>
        ReadItems(path, node, offsetDelta, null, papers, errors, null);

    private static void ReadItems(string path, YamlNode node, int offsetDelta, string? text,
        ICollection<Paper> papers, ICollection<LibraryError> errors, List<CslNode>? nodes)
    {
        if (node is not YamlSequenceNode list)
        {
            if (node is YamlScalarNode { Value: null or "" or "~" or "null" }) return; // `references:` left empty
            errors.Add(new LibraryError(SpanOf(node.Start, node.Start, offsetDelta), "`references` must be a list of CSL items."));
            return;
        }
        foreach (var item in list.Children)
        {
            var converted = Convert(item, offsetDelta, text, 0);
            if (CslItemMapper.Map(path, converted, errors) is { } paper)
            {
                papers.Add(paper);
                nodes?.Add(converted);
            }
        }
    }

    private static YamlNode? Find(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
            if (k is YamlScalarNode { Value: var name } && name == key) return v;
        return null;
    }

    private static CslNode Convert(YamlNode node, int delta, string? text, int depth)
    {
        var span = Trim(SpanOf(node.Start, node.End, delta), text, delta);
        if (depth > MaxDepth) return new CslScalar(null, span, span);
        switch (node)
        {
            case YamlScalarNode scalar:
            {
                bool quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
                var valueSpan = quoted && span.Length >= 2 ? new TextSpan(span.Start + 1, span.Length - 2) : span;
                string? value = !quoted && scalar.Style != ScalarStyle.Literal && scalar.Style != ScalarStyle.Folded
                    && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value;
                return new CslScalar(value, span, valueSpan);
            }
            case YamlSequenceNode sequence:
            {
                var items = sequence.Children.Select(c => Convert(c, delta, text, depth + 1)).ToList();
                return new CslList(items, ContainerSpan(span, items.Count > 0 ? items[^1].Span.End : span.End, sequence.Style == SequenceStyle.Flow ? ']' : null, text, delta));
            }
            case YamlMappingNode mapping:
            {
                var entries = new List<KeyValuePair<string, CslNode>>();
                int end = span.End;
                foreach (var (k, v) in mapping.Children)
                {
                    var value = Convert(v, delta, text, depth + 1);
                    end = Math.Max(end, Math.Max(value.Span.End, (int)k.End.Index + delta));
                    if (k is YamlScalarNode { Value: { } name }) entries.Add(new(name, value));
                }
                return new CslMap(entries, ContainerSpan(span, end, mapping.Style == MappingStyle.Flow ? '}' : null, text, delta));
            }
            default:
                return new CslScalar(null, span, span);
        }
    }

    /// <summary>The representation model leaves a collection's End at its Start, so a collection ends with
    /// its last child, plus the closing bracket of a flow collection when the text is at hand.</summary>
    private static TextSpan ContainerSpan(TextSpan span, int lastChildEnd, char? closer, string? text, int delta)
    {
        int end = Math.Max(span.End, lastChildEnd);
        if (closer is char c && text is not null)
        {
            int i = end - delta;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i < text.Length && text[i] == c) end = i + 1 + delta;
        }
        return TextSpan.FromBounds(span.Start, end);
    }

    /// <summary>Mark.Index counts UTF-16 chars from the start of the reader, the same unit as TextSpan.</summary>
    private static TextSpan SpanOf(Mark start, Mark end, int delta)
    {
        int s = (int)start.Index + delta;
        return TextSpan.FromBounds(s, Math.Max(s, (int)end.Index + delta));
    }

    /// <summary>A block node's end mark sits where the next token starts (after the line break and
    /// indentation); with the text at hand, give the span back its trailing whitespace.</summary>
    private static TextSpan Trim(TextSpan span, string? text, int delta)
    {
        if (text is null) return span;
        int end = Math.Min(span.End - delta, text.Length), start = span.Start - delta;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return TextSpan.FromBounds(span.Start, end + delta);
    }

    /// <summary>YamlDotNet puts "(Line: 3, Col: 5, Idx: 20) - (Line: ...): " before the message; the
    /// diagnostic range already says where.</summary>
    private static string CleanMessage(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner && string.IsNullOrEmpty(ex.Message) ? inner.Message : ex.Message;
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message;
    }
}
