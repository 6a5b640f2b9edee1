using System.IO.Compression;
using System.Text;

namespace PaperNotes.Core.Text;

/// <summary>
/// The text a library file was built from, kept so its entries can be decoded when first read: the whole string (a
/// file open in the editor, a small file), or <see cref="CompressedText"/> for a file read as it streams from disk.
/// Offsets are UTF-16 offsets into the whole text, as in every <see cref="TextSpan"/>.
/// </summary>
public abstract class SourceText
{
    public abstract int Length { get; }

    /// <summary>A string holding at least [<paramref name="start"/>, <paramref name="end"/>) and the offset in the
    /// whole text of its first character.</summary>
    public abstract (string Window, int Base) WindowOver(int start, int end);

    /// <summary>The text of <paramref name="span"/>.</summary>
    public string Slice(TextSpan span)
    {
        var (window, @base) = WindowOver(span.Start, span.End);
        return window.Substring(span.Start - @base, span.Length);
    }

    /// <summary>About what keeping this text costs, in bytes.</summary>
    public abstract long RetainedBytes { get; }

    /// <summary>Texts this long and longer are kept compressed by <see cref="Keep"/>: from the size at which a BibTeX
    /// file streams in (and keeps a <see cref="CompressedText"/>) rather than being read whole.</summary>
    public const int CompressFromLength = 16 << 20;

    /// <summary>A text read whole, kept for later reads: as it is when small (or held elsewhere anyway, as an open
    /// document's), compressed when it is big (a 100 MB CSL-JSON library would otherwise keep a 200 MB string).</summary>
    public static SourceText Keep(string text) => text.Length < CompressFromLength ? new StringText(text) : CompressedText.Of(text);
}

/// <summary>A text held as one string.</summary>
public sealed class StringText(string text) : SourceText
{
    public override int Length => text.Length;
    public override (string Window, int Base) WindowOver(int start, int end) => (text, 0);
    public override long RetainedBytes => 2L * text.Length;
}

/// <summary>
/// A big text kept as Brotli-compressed blocks of its UTF-8 (about 64 KB each, cut after a line break, so every block
/// decodes alone): a 150 MB library costs about 65 MB instead of the 300 MB of a string, and reading one entry back
/// decompresses one block. The blocks lie end to end in a few big chunks (up to <see cref="ChunkBytes"/> each), not one
/// small array each: the collector never copies them about, and a warm start uses its image's memory map as they are
/// (a chunk is memory, an array's or the map's, never copied).
/// Immutable once built; reads may come from any thread.
/// </summary>
public sealed class CompressedText : SourceText
{
    /// <summary>About how many bytes of blocks one chunk holds (a chunk holds whole blocks, so one block more at most).</summary>
    internal const int ChunkBytes = 32 << 20;

    private readonly ReadOnlyMemory<byte>[] _chunks;
    private readonly int[] _blockChunk, _blockOffset, _blockLength; // where each block lies: its chunk, offset and length
    private readonly int[] _charStarts; // UTF-16 offset of each block's first character; one more at the end: Length

    private CompressedText(ReadOnlyMemory<byte>[] chunks, int[] blockChunk, int[] blockOffset, int[] blockLength, int[] charStarts)
    {
        _chunks = chunks;
        _blockChunk = blockChunk;
        _blockOffset = blockOffset;
        _blockLength = blockLength;
        _charStarts = charStarts;
    }

    public override int Length => _charStarts[^1];

    internal int BlockCount => _blockLength.Length;
    internal ReadOnlyMemory<byte>[] Chunks => _chunks;
    internal int[] BlockChunks => _blockChunk;
    internal int[] BlockOffsets => _blockOffset;
    internal int[] BlockLengths => _blockLength;
    internal int[] CharStarts => _charStarts;

    /// <summary>A text restored from its chunks and block table (a warm start), checked: null when the table cannot be
    /// of these chunks, or the offsets of these blocks. A block's bytes are checked when it is first decoded (corrupt
    /// ones throw, as any other read failure).</summary>
    internal static CompressedText? FromChunks(ReadOnlyMemory<byte>[] chunks, int[] blockChunk, int[] blockOffset, int[] blockLength, int[] charStarts)
    {
        int n = blockLength.Length;
        if (blockChunk.Length != n || blockOffset.Length != n || charStarts.Length != n + 1 || charStarts[0] != 0) return null;
        for (int i = 1; i < charStarts.Length; i++) if (charStarts[i] < charStarts[i - 1]) return null;
        for (int i = 0; i < n; i++)
        {
            if ((uint)blockChunk[i] >= (uint)chunks.Length || blockOffset[i] < 0 || blockLength[i] < 4
                || (long)blockOffset[i] + blockLength[i] > chunks[blockChunk[i]].Length) return null;
        }
        return new CompressedText(chunks, blockChunk, blockOffset, blockLength, charStarts);
    }

    /// <summary>A whole string compressed, a piece of about 1 M characters at a time (never one UTF-8 copy of it all).</summary>
    public static CompressedText Of(string text)
    {
        var builder = new Builder();
        const int piece = 1 << 20;
        for (int start = 0; start < text.Length;)
        {
            int end = Math.Min(text.Length, start + piece);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1])) end--; // a pair is one character: keep it whole
            builder.Append(Encoding.UTF8.GetBytes(text, start, end - start));
            start = end;
        }
        return builder.Build();
    }

    public override long RetainedBytes
    {
        get
        {
            long sum = 16L * _charStarts.Length;
            foreach (var chunk in _chunks) sum += chunk.Length + 24;
            return sum;
        }
    }

    public override (string Window, int Base) WindowOver(int start, int end)
    {
        start = Math.Clamp(start, 0, Length);
        end = Math.Clamp(end, start, Length);
        int first = BlockAt(start), last = end > start ? BlockAt(end - 1) : first;
        if (first == last) return (Decode(first), _charStarts[first]);
        var joined = new StringBuilder(_charStarts[last + 1] - _charStarts[first]);
        for (int b = first; b <= last; b++) joined.Append(Decode(b));
        return (joined.ToString(), _charStarts[first]);
    }

    private int BlockAt(int offset)
    {
        int i = Array.BinarySearch(_charStarts, 0, _blockLength.Length, offset);
        return i >= 0 ? i : ~i - 1;
    }

    // The blocks read last, as text: decoding a run of entries (or of abstracts) reads each block once, not once per entry.
    // Slots are replaced whole, so a read racing a write sees one block or another, never a torn one.
    private readonly DecodedBlock?[] _recent = new DecodedBlock?[4];
    private int _nextSlot;

    private sealed record DecodedBlock(int Index, string Text);

    private string Decode(int block)
    {
        for (int i = 0; i < _recent.Length; i++)
            if (Volatile.Read(ref _recent[i]) is { } cached && cached.Index == block) return cached.Text;
        var text = DecodeUncached(block);
        Volatile.Write(ref _recent[(uint)Interlocked.Increment(ref _nextSlot) % _recent.Length], new DecodedBlock(block, text));
        return text;
    }

    /// <summary>More UTF-8 than a block ever holds (a piece appended at most, cut from a 64 MB read): a damaged length
    /// reads as a damaged block, not as a huge buffer.</summary>
    private const int MaxBlockBytes = 1 << 28;

    private string DecodeUncached(int block)
    {
        var compressed = _chunks[_blockChunk[block]].Span.Slice(_blockOffset[block], _blockLength[block]);
        int bytes = BitConverter.ToInt32(compressed);
        if (bytes < 0 || bytes > MaxBlockBytes) throw new InvalidDataException("a compressed block of a library's text does not decompress");
        var utf8 = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(bytes, 1));
        try
        {
            if (!BrotliDecoder.TryDecompress(compressed[4..], utf8, out int written) || written != bytes)
                throw new InvalidDataException("a compressed block of a library's text does not decompress");
            return Encoding.UTF8.GetString(utf8, 0, written);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(utf8);
            GC.KeepAlive(this); // a chunk of a memory map stays mapped while its span is read
        }
    }

    /// <summary>Collects the UTF-8 of a text piece by piece. Each piece must end at a character boundary (the streaming
    /// reader cuts after a line break).</summary>
    public sealed class Builder
    {
        private readonly int _blockBytes;
        private readonly List<byte[]> _chunks = [];
        private byte[] _chunk = [];
        private int _used; // bytes of _chunk holding blocks
        private readonly List<int> _blockChunk = [], _blockOffset = [], _blockLength = [];
        private readonly List<int> _charStarts = [];
        private int _length;
        private byte[] _scratch = [];

        public Builder() : this(64 << 10) { }

        /// <param name="blockBytes">About how much UTF-8 one block holds: reading an entry back decompresses its block.</param>
        public Builder(int blockBytes) => _blockBytes = Math.Max(1, blockBytes);

        public void Append(ReadOnlySpan<byte> utf8)
        {
            while (utf8.Length > 0)
            {
                int take = utf8.Length <= _blockBytes * 3 / 2 ? 0 : CutAt(utf8[.._blockBytes]);
                if (take == 0) take = utf8.Length; // no character boundary in a block's length: the piece ends on one
                AddBlock(utf8[..take]);
                utf8 = utf8[take..];
            }
        }

        /// <summary>After the last line break, else after the last ASCII byte, else before the last lead byte: a place
        /// where the bytes on both sides decode as they do together; 0 when <paramref name="head"/> has none.</summary>
        internal static int CutAt(ReadOnlySpan<byte> head)
        {
            int i = head.LastIndexOf((byte)'\n');
            if (i >= 0) return i + 1;
            i = head.LastIndexOfAnyInRange((byte)0, (byte)0x7F);
            if (i >= 0) return i + 1;
            for (i = head.Length - 1; i > 0; i--)
                if ((head[i] & 0xC0) != 0x80) return i;
            return 0;
        }

        private void AddBlock(ReadOnlySpan<byte> utf8)
        {
            int needed = BrotliEncoder.GetMaxCompressedLength(utf8.Length) + 4;
            if (_scratch.Length < needed) _scratch = new byte[needed];
            // Quality 0: 2.3x on library text (bench/'s 153 MB library: 65 MB) at about 250 MB/s, which keeps up with the scan
            // it runs beside; quality 1 gives 2.5x at two thirds of the speed.
            if (!BrotliEncoder.TryCompress(utf8, _scratch.AsSpan(4), out int written, quality: 0, window: 22))
                throw new InvalidOperationException("Brotli could not compress a block");
            BitConverter.TryWriteBytes(_scratch, utf8.Length);
            Put(_scratch.AsSpan(0, written + 4));
            _charStarts.Add(_length);
            _length += Encoding.UTF8.GetCharCount(utf8);
        }

        /// <summary>Lays a block after the last: in the current chunk while it fits, else in a new one (a small text's
        /// chunk grows as it fills, so a small file does not take a whole <see cref="ChunkBytes"/>).</summary>
        private void Put(ReadOnlySpan<byte> block)
        {
            if (_used + block.Length > _chunk.Length)
            {
                if (_used + block.Length <= ChunkBytes)
                    Array.Resize(ref _chunk, (int)Math.Min(ChunkBytes, Math.Max(_used + block.Length, Math.Max(64L << 10, 2L * _chunk.Length))));
                else
                {
                    if (_used > 0) _chunks.Add(_chunk); // its slack (less than a block) stays: trimming would copy it
                    _chunk = new byte[Math.Max(ChunkBytes, block.Length)];
                    _used = 0;
                }
            }
            _blockChunk.Add(_chunks.Count);
            _blockOffset.Add(_used);
            _blockLength.Add(block.Length);
            block.CopyTo(_chunk.AsSpan(_used));
            _used += block.Length;
        }

        /// <summary>The UTF-16 length of everything appended so far.</summary>
        public int Length => _length;

        public CompressedText Build()
        {
            ReadOnlyMemory<byte>[] chunks = [.. _chunks.Select(c => (ReadOnlyMemory<byte>)c), .. _used > 0 ? [(ReadOnlyMemory<byte>)_chunk.AsSpan(0, _used).ToArray()] : Array.Empty<ReadOnlyMemory<byte>>()];
            return new(chunks, [.. _blockChunk], [.. _blockOffset], [.. _blockLength], [.. _charStarts, _length]);
        }
    }
}
