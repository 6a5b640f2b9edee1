using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PaperNotes.Core.Text;

/// <summary>A YAML problem the bounds found, at the node or alias at fault (marks of the text given to the parser).</summary>
internal readonly record struct YamlLimitProblem(Mark Start, Mark End, string Message);

/// <summary>
/// YamlDotNet's event parser with bounds, for <c>YamlStream.Load</c>. YamlDotNet has none: its representation
/// model recurses once per nesting level (100k <c>[</c> overflow the stack, which kills the process), its scanner
/// slows down with the flow nesting depth (quadratic over the file), and an alias is the anchored node itself, so
/// walking the model walks every alias's subtree again (nine levels of nine aliases make 9^9 nodes from 1 KB).
/// A collection nested deeper than <see cref="MaxDepth"/> stops the load there with a <see cref="YamlException"/>,
/// as a syntax error does. An alias whose node contains it, and every alias past the budget (the values and
/// characters aliases repeat), become an empty scalar at the same place, so the rest of the text still loads;
/// the first of each is reported in <see cref="Problems"/>.
/// </summary>
internal sealed class BoundedYamlParser(TextReader input) : IParser
{
    /// <summary>CSL items nest five or six levels (references, item, author list, name); a config file fewer.</summary>
    public const int MaxDepth = 64;
    /// <summary>CSL-YAML never needs aliases (pandoc writes none); a hand-written file may share a few values.</summary>
    public const int MaxAliasNodes = 10_000;
    public const int MaxAliasChars = 1 << 20;

    private readonly Parser _parser = new(input);
    private readonly List<Frame> _open = [];
    private readonly Dictionary<AnchorName, Weight> _anchors = [];
    private readonly List<YamlLimitProblem> _problems = [];
    private long _aliasNodes, _aliasChars;
    private bool _reportedBudget;

    public List<YamlLimitProblem> Problems => _problems;
    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        if (!_parser.MoveNext())
        {
            Current = null;
            return false;
        }
        var e = _parser.Current!;
        switch (e)
        {
            case SequenceStart or MappingStart when _open.Count >= MaxDepth:
                // Reading on is what costs (the scanner), so stop here rather than skip the subtree.
                throw new YamlException(e.Start, e.End, $"nested more than {MaxDepth} levels deep");
            case SequenceStart or MappingStart:
                _open.Add(new Frame(((NodeEvent)e).Anchor, new Weight(1, 0)));
                break;
            case SequenceEnd or MappingEnd when _open.Count > 0:
                var done = _open[^1];
                _open.RemoveAt(_open.Count - 1);
                Anchor(done.Anchor, done.Weight);
                Add(done.Weight);
                break;
            case Scalar scalar:
                var weight = new Weight(1, scalar.Value.Length);
                Anchor(scalar.Anchor, weight);
                Add(weight);
                break;
            case AnchorAlias alias:
                e = Alias(alias);
                break;
            case DocumentEnd:
                _open.Clear(); // anchors are per document
                _anchors.Clear();
                break;
        }
        Current = e;
        return true;
    }

    private ParsingEvent Alias(AnchorAlias alias)
    {
        foreach (var frame in _open)
        {
            if (frame.Anchor != alias.Value) continue;
            _problems.Add(new(alias.Start, alias.End, $"YAML alias '*{alias.Value}' is inside the node it names; read as empty"));
            return Empty(alias);
        }
        if (!_anchors.TryGetValue(alias.Value, out var weight)) return alias; // unknown: YamlDotNet reports it
        if (_aliasNodes + weight.Nodes > MaxAliasNodes || _aliasChars + weight.Chars > MaxAliasChars)
        {
            if (!_reportedBudget)
                _problems.Add(new(alias.Start, alias.End,
                    $"too many YAML aliases: together they may repeat at most {MaxAliasNodes:N0} values and {MaxAliasChars:N0} characters; " +
                    $"'*{alias.Value}' and later aliases are read as empty"));
            _reportedBudget = true;
            return Empty(alias);
        }
        _aliasNodes += weight.Nodes;
        _aliasChars += weight.Chars;
        Add(weight); // an anchored collection holding this alias repeats all of it when aliased in turn
        return alias;
    }

    private static Scalar Empty(AnchorAlias alias) =>
        new(AnchorName.Empty, TagName.Empty, "", ScalarStyle.Plain, true, false, alias.Start, alias.End);

    private void Anchor(AnchorName anchor, Weight weight)
    {
        if (anchor.IsEmpty) return;
        _anchors[anchor] = weight;
    }

    private void Add(Weight weight)
    {
        if (_open.Count == 0) return;
        var top = _open[^1];
        _open[^1] = top with { Weight = new Weight(top.Weight.Nodes + weight.Nodes, top.Weight.Chars + weight.Chars) };
    }

    /// <summary>A node's size with its aliases expanded: what walking it costs.</summary>
    private readonly record struct Weight(long Nodes, long Chars);

    private readonly record struct Frame(AnchorName Anchor, Weight Weight);
}
