namespace PaperNotes.Core.Text;

/// <summary>A range of UTF-16 code units in a document's text: [Start, Start + Length).</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    /// <summary>True when the offset is inside or right at the end (a cursor after the last char still "touches").</summary>
    public bool Touches(int offset) => offset >= Start && offset <= End;

    public override string ToString() => $"{Start}..{End}";
}

/// <summary>Zero-based line and UTF-16 column, as LSP counts them.</summary>
public readonly record struct LinePosition(int Line, int Character)
{
    public override string ToString() => $"{Line}:{Character}";
}

public readonly record struct LineRange(LinePosition Start, LinePosition End);
