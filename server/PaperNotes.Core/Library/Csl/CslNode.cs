using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.Csl;

/// <summary>
/// A format-neutral CSL value (JSON or YAML) with its source span, so one <see cref="CslItemMapper"/>
/// serves both parsers. Spans are UTF-16 offsets into the file text.
/// </summary>
internal abstract record CslNode(TextSpan Span);

/// <summary>A string, number, boolean or null. <see cref="Value"/> is null only for null.
/// <see cref="ValueSpan"/> is the value without quotes (what a key span must cover).</summary>
internal sealed record CslScalar(string? Value, TextSpan Span, TextSpan ValueSpan) : CslNode(Span);

internal sealed record CslList(IReadOnlyList<CslNode> Items, TextSpan Span) : CslNode(Span);

internal sealed record CslMap(IReadOnlyList<KeyValuePair<string, CslNode>> Entries, TextSpan Span) : CslNode(Span)
{
    /// <summary>The last value for a key (JSON and YAML readers both let a later duplicate win).</summary>
    public CslNode? Get(string key)
    {
        for (int i = Entries.Count - 1; i >= 0; i--)
            if (Entries[i].Key == key) return Entries[i].Value;
        return null;
    }
}
