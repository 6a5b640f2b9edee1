using PaperNotes.Core.Text;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Convert;

/// <summary>LSP positions → Core offsets. Null when the position is outside the document.</summary>
public static class FromLsp
{
    public static int? Offset(LineIndex lines, P.Position position) =>
        lines.GetOffset(new LinePosition(position.Line, position.Character));

    public static TextSpan? Span(LineIndex lines, P.Range range) =>
        Offset(lines, range.Start) is int start && Offset(lines, range.End) is int end && end >= start
            ? TextSpan.FromBounds(start, end)
            : null;
}
