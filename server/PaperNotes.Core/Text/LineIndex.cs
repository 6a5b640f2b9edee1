namespace PaperNotes.Core.Text;

/// <summary>
/// Maps offsets to (line, UTF-16 column) and back. .NET strings are UTF-16, so a column is simply
/// the char distance from the line start; \n, \r\n and \r all end a line, as LSP says.
/// Keeps only line starts (and a bit per line for a "\r\n" break), never the text, so big library files stay cheap.
/// </summary>
public sealed class LineIndex
{
    private readonly int[] _lineStarts;
    // Which lines end with "\r\n" (two characters; "\n" and "\r" are one), a bit each; null when none does. A line's
    // content ends before its break: the next line's start less its break's length (the last line's, at Length).
    private readonly int[]? _crlf;

    public int Length { get; }

    private LineIndex(int[] lineStarts, int[]? crlf, int length)
    {
        _lineStarts = lineStarts;
        _crlf = crlf;
        Length = length;
    }

    /// <summary>An index of lines starting at <paramref name="starts"/> and ending (before their breaks) at <paramref name="ends"/>.</summary>
    private static LineIndex Of(int[] starts, List<int> ends, int length)
    {
        int[]? crlf = null;
        for (int i = 0; i + 1 < starts.Length; i++)
        {
            if (starts[i + 1] - ends[i] != 2) continue;
            crlf ??= new int[(starts.Length + 31) / 32];
            crlf[i >> 5] |= 1 << (i & 31);
        }
        return new LineIndex(starts, crlf, length);
    }

    internal int[] LineStarts => _lineStarts;
    /// <summary>Which lines end with "\r\n", a bit each (of 32-bit words); empty when none does.</summary>
    internal int[] CrlfBits => _crlf ?? [];

    private int LineEnd(int line) =>
        line + 1 < _lineStarts.Length ? _lineStarts[line + 1] - (_crlf is { } bits && (bits[line >> 5] & (1 << (line & 31))) != 0 ? 2 : 1) : Length;

    /// <summary>An index restored from its starts and break bits (a warm start), checked: null when they cannot be a text's lines.</summary>
    internal static LineIndex? FromImage(int[] starts, int[] crlfBits, int length)
    {
        if (starts.Length == 0 || starts[0] != 0 || starts[^1] > length) return null;
        if (crlfBits.Length != 0 && crlfBits.Length != (starts.Length + 31) / 32) return null;
        var index = new LineIndex(starts, crlfBits.Length == 0 ? null : crlfBits, length);
        for (int i = 0; i + 1 < starts.Length; i++)
            if (index.LineEnd(i) < starts[i]) return null;
        return index;
    }

    public static LineIndex Create(string text)
    {
        var starts = new List<int>(Math.Max(16, text.Length / 40)) { 0 };
        var ends = new List<int>(Math.Max(16, text.Length / 40));
        var span = text.AsSpan();
        int i = 0;
        while (i < span.Length)
        {
            int next = span[i..].IndexOfAny('\r', '\n');
            if (next < 0) break;
            i += next;
            ends.Add(i);
            if (span[i] == '\r' && i + 1 < span.Length && span[i + 1] == '\n') i++;
            i++;
            starts.Add(i);
        }
        return Of([.. starts], ends, text.Length);
    }

    /// <summary>Builds the index of a text that arrives in pieces (a library read as it streams in): the same index as
    /// <see cref="Create"/> of the pieces joined, also when a "\r\n" is split between two pieces.</summary>
    public sealed class Builder
    {
        private readonly List<int> _starts = [0];
        private readonly List<int> _ends = [];
        private int _length;
        private bool _pendingCr;

        public void Append(ReadOnlySpan<char> piece)
        {
            if (piece.IsEmpty) return;
            int i = 0;
            if (_pendingCr)
            {
                _pendingCr = false;
                if (piece.Length > 0 && piece[0] == '\n') { i = 1; _starts[^1] = _length + 1; }
            }
            while (i < piece.Length)
            {
                int next = piece[i..].IndexOfAny('\r', '\n');
                if (next < 0) break;
                i += next;
                _ends.Add(_length + i);
                if (piece[i] == '\r' && i + 1 == piece.Length) _pendingCr = true;
                else if (piece[i] == '\r' && piece[i + 1] == '\n') i++;
                i++;
                _starts.Add(_length + i);
            }
            _length += piece.Length;
        }

        public LineIndex Build() => Of([.. _starts], _ends, _length);
    }

    public LinePosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, Length);
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new LinePosition(line, offset - _lineStarts[line]);
    }

    public LineRange GetRange(TextSpan span) => new(GetPosition(span.Start), GetPosition(span.End));

    /// <summary>Offset of a position, or null when the line is outside the document. A column past the
    /// end of its line is clamped to the line end (editors send such positions).</summary>
    public int? GetOffset(LinePosition position)
    {
        if (position.Line < 0 || position.Line >= _lineStarts.Length || position.Character < 0) return null;
        return Math.Min(_lineStarts[position.Line] + position.Character, LineEnd(position.Line));
    }
}
