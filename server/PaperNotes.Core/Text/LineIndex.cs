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
        var builder = new Builder(text.Length / 40);
        builder.Append(text);
        return builder.Build();
    }

    /// <summary>Builds the index of a text that arrives in pieces (a library read as it streams in): the same index as
    /// <see cref="Create"/> of the pieces joined, also when a "\r\n" is split between two pieces.</summary>
    /// <param name="expectedLines">About how many lines the text has (a library rewritten over one read before has
    /// as many as it had): the starts are then written once into an array of that size, not grown by doubling (at a
    /// million papers, 10 million lines: 40 MB, which doubling had copied five times over).</param>
    public sealed class Builder(int expectedLines = 0)
    {
        private int[] _starts = new int[Math.Max(16, expectedLines + 1)];
        private int _count = 1; // _starts[0] = 0
        // A bit per line that ends with "\r\n"; null until one does (most files have none).
        private int[]? _crlf;
        private int _length;
        private bool _pendingCr;

        public void Append(ReadOnlySpan<char> piece)
        {
            if (piece.IsEmpty) return;
            int i = 0;
            if (_pendingCr)
            {
                _pendingCr = false;
                if (piece[0] == '\n') { i = 1; _starts[_count - 1] = _length + 1; MarkCrlf(_count - 2); }
            }
            while (i < piece.Length)
            {
                int next = piece[i..].IndexOfAny('\r', '\n');
                if (next < 0) break;
                i += next;
                if (piece[i] == '\r' && i + 1 == piece.Length) _pendingCr = true;
                else if (piece[i] == '\r' && piece[i + 1] == '\n') { MarkCrlf(_count - 1); i++; }
                i++;
                if (_count == _starts.Length) Array.Resize(ref _starts, _starts.Length * 2);
                _starts[_count++] = _length + i;
            }
            _length += piece.Length;
        }

        /// <summary>The same as <see cref="Append(ReadOnlySpan{char})"/> of the text these UTF-8 bytes decode to (invalid
        /// bytes as U+FFFD, as <see cref="System.Text.Encoding.UTF8"/> decodes them), without decoding them: the line starts of
        /// a big library are found beside its scan, on another core. The piece must end where a character does.</summary>
        public void AppendUtf8(ReadOnlySpan<byte> piece)
        {
            if (piece.IsEmpty) return;
            bool ascii = System.Text.Ascii.IsValid(piece);
            int i = 0, chars = 0; // chars: UTF-16 length of piece[..i]
            if (_pendingCr)
            {
                _pendingCr = false;
                if (piece[0] == '\n') { i = 1; chars = 1; _starts[_count - 1] = _length + 1; MarkCrlf(_count - 2); }
            }
            while (i < piece.Length)
            {
                int next = piece[i..].IndexOfAny((byte)'\r', (byte)'\n');
                if (next < 0) break;
                // A line break is ASCII, which ends any invalid sequence before it: counted apart, the characters before
                // it are the ones the whole piece decodes to.
                chars += ascii ? next : System.Text.Encoding.UTF8.GetCharCount(piece.Slice(i, next));
                i += next;
                if (piece[i] == '\r' && i + 1 == piece.Length) _pendingCr = true;
                else if (piece[i] == '\r' && piece[i + 1] == '\n') { MarkCrlf(_count - 1); i++; chars++; }
                i++;
                chars++;
                if (_count == _starts.Length) Array.Resize(ref _starts, _starts.Length * 2);
                _starts[_count++] = _length + chars;
            }
            chars += ascii ? piece.Length - i : System.Text.Encoding.UTF8.GetCharCount(piece[i..]);
            _length += chars;
        }

        private void MarkCrlf(int line)
        {
            if (_crlf is null || (line >> 5) >= _crlf.Length) Array.Resize(ref _crlf, Math.Max(16, (line >> 5) * 2 + 1));
            _crlf[line >> 5] |= 1 << (line & 31);
        }

        public LineIndex Build()
        {
            var starts = _count == _starts.Length ? _starts : _starts[.._count];
            var crlf = _crlf;
            if (crlf is not null && crlf.Length != (_count + 31) / 32) Array.Resize(ref crlf, (_count + 31) / 32);
            return new LineIndex(starts, crlf, _length);
        }
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
