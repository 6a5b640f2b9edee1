using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;
using PaperNotes.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PaperNotes.Core.Notes;

/// <summary>Reads the fields pandoc and we care about from a note's YAML front matter.</summary>
internal static class FrontMatterReader
{
    /// <summary>Bibliography files one note may load: each is read from disk (pandoc users name one or two).</summary>
    public const int MaxBibliographies = 100;

    public static FrontMatter Read(string path, string text, TextSpan blockSpan, List<NoteError> errors)
    {
        // The block spans "---\n ... \n---"; YAML is what lies between the fences.
        int bodyStart = text.IndexOf('\n', blockSpan.Start) + 1;
        if (bodyStart <= 0 || bodyStart > blockSpan.End) return FrontMatter.Empty with { Span = blockSpan };
        int bodyEnd = blockSpan.End;
        int lastLine = text.LastIndexOf('\n', Math.Max(bodyStart, bodyEnd - 1), bodyEnd - bodyStart);
        if (lastLine >= bodyStart) bodyEnd = lastLine + 1;
        var yaml = text.Substring(bodyStart, bodyEnd - bodyStart);

        YamlMappingNode? root;
        var parser = new BoundedYamlParser(new StringReader(yaml));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
        }
        catch (YamlException e)
        {
            int at = bodyStart + (int)Math.Min(e.Start.Index, yaml.Length);
            errors.Add(new NoteError(new TextSpan(at, 0), $"front matter is not valid YAML: {FirstLine(e.Message)}"));
            root = null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails on some malformed input with a state or argument error instead of a YamlException
            // (found by the incremental-parse property test: "[" typed into a flow sequence, an indented key).
            errors.Add(new NoteError(new TextSpan(bodyStart, 0), $"front matter is not valid YAML: {FirstLine(e.Message)}"));
            root = null;
        }
        foreach (var problem in parser.Problems)
            errors.Add(new NoteError(TextSpan.FromBounds(bodyStart + (int)problem.Start.Index, bodyStart + (int)problem.End.Index), problem.Message));
        if (root is null) return FrontMatter.Empty with { Span = blockSpan };

        string? title = null, citeKey = null;
        TextSpan citeKeySpan = default;
        var bibliography = new List<BibliographyRef>();
        var references = new List<Paper>();
        foreach (var (keyNode, value) in root.Children)
        {
            switch ((keyNode as YamlScalarNode)?.Value)
            {
                case "title" when value is YamlScalarNode s:
                    title = s.Value;
                    break;
                case "citekey" when value is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value):
                    citeKey = s.Value!.Trim();
                    citeKeySpan = ValueSpanOf(s, bodyStart);
                    break;
                case "bibliography":
                    foreach (var s in Scalars(value))
                    {
                        if (string.IsNullOrWhiteSpace(s.Value)) continue;
                        if (bibliography.Count == MaxBibliographies)
                        {
                            errors.Add(new NoteError(ValueSpanOf(s, bodyStart), $"more than {MaxBibliographies} bibliography files: this one and the rest are not loaded"));
                            break;
                        }
                        bibliography.Add(new BibliographyRef(s.Value!.Trim(), ValueSpanOf(s, bodyStart)));
                    }
                    break;
                case "references" when value is YamlSequenceNode:
                    var libraryErrors = new List<LibraryError>();
                    CslYamlParser.ReadItems(path, value, bodyStart, references, libraryErrors);
                    errors.AddRange(libraryErrors.Select(e => new NoteError(e.Span, e.Message)));
                    break;
            }
        }
        return new FrontMatter(blockSpan, title, citeKey, citeKeySpan, bibliography, references);
    }

    private static IEnumerable<YamlScalarNode> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s],
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>(),
        _ => [],
    };

    private static TextSpan SpanOf(YamlNode node, int offset) =>
        TextSpan.FromBounds((int)node.Start.Index + offset, (int)node.End.Index + offset);

    /// <summary>A scalar's value without its quotes: what a rename replaces and a diagnostic underlines.</summary>
    private static TextSpan ValueSpanOf(YamlScalarNode node, int offset)
    {
        var span = SpanOf(node, offset);
        return node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted && span.Length >= 2
            ? new TextSpan(span.Start + 1, span.Length - 2)
            : span;
    }

    private static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n');
        return nl < 0 ? message : message[..nl];
    }
}
