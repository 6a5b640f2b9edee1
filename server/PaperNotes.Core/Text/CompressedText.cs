using System.IO.Compression;
using System.Text;

namespace PaperNotes.Core.Text;

/// <summary>
/// A big text kept as Brotli-compressed blocks of its UTF-8 (about 64 KB each, cut before an entry's '@' at a line
/// start, so every block decodes alone): a 150 MB library costs about 65 MB instead of the 300 MB of a string, and
/// reading one entry back decompresses one block. Where a block ends depends only on the bytes near it (see
/// <see cref="Builder"/>), so a library rewritten with one entry changed cuts the same blocks everywhere else, and a
/// text built to replace another keeps those blocks where they are (it holds the replaced text's chunks too) instead
/// of compressing them again. The blocks lie end to end in a few big chunks (up to <see cref="ChunkBytes"/> each), not one
/// small array each: the collector never copies them about. Once the server has written the text's cache image, the
/// text reads its blocks from that file instead (<see cref="Relocate"/>, a warm start from the first), so a library's
/// text takes no memory of the process: only the page cache, which the kernel may drop.
/// Immutable once built (relocating moves the same bytes); reads may come from any thread.
/// </summary>
public sealed class CompressedText : SourceText
{
    /// <summary>About how many bytes of blocks one chunk holds (a chunk holds whole blocks, so one block more at most).</summary>
    internal const int ChunkBytes = 32 << 20;

    private StoredChunk[] _chunks; // replaced whole by Relocate: a read takes the array once
    private readonly int[] _blockChunk, _blockOffset, _blockLength; // where each block lies: its chunk, offset and length
    private readonly int[] _charStarts; // UTF-16 offset of each block's first character; one more at the end: Length
    private readonly ulong[] _blockHashes; // XxHash3 of each block's UTF-8: a text that replaces this one finds its unchanged blocks by it

    private CompressedText(StoredChunk[] chunks, int[] blockChunk, int[] blockOffset, int[] blockLength, int[] charStarts, ulong[] blockHashes)
    {
        _chunks = chunks;
        _blockChunk = blockChunk;
        _blockOffset = blockOffset;
        _blockLength = blockLength;
        _charStarts = charStarts;
        _blockHashes = blockHashes;
    }

    /// <summary>How many blocks were taken from the text this one replaced rather than compressed.</summary>
    internal int SharedBlocks { get; private init; }

    public override int Length => _charStarts[^1];

    internal int BlockCount => _blockLength.Length;
    /// <summary>Where the blocks lie now (see <see cref="Relocate"/>).</summary>
    public IReadOnlyList<StoredChunk> Chunks => Volatile.Read(ref _chunks);
    internal int[] BlockChunks => _blockChunk;
    internal int[] BlockOffsets => _blockOffset;
    internal int[] BlockLengths => _blockLength;
    internal int[] CharStarts => _charStarts;
    internal ulong[] BlockHashes => _blockHashes;

    /// <summary>A text restored from its chunks and block table (a warm start), checked: null when the table cannot be
    /// of these chunks, or the offsets of these blocks. A block's bytes are checked when it is first decoded (corrupt
    /// ones throw, as any other read failure).</summary>
    internal static CompressedText? FromChunks(StoredChunk[] chunks, int[] blockChunk, int[] blockOffset, int[] blockLength, int[] charStarts, ulong[] blockHashes)
    {
        int n = blockLength.Length;
        if (blockChunk.Length != n || blockOffset.Length != n || blockHashes.Length != n || charStarts.Length != n + 1 || charStarts[0] != 0) return null;
        for (int i = 1; i < charStarts.Length; i++) if (charStarts[i] < charStarts[i - 1]) return null;
        for (int i = 0; i < n; i++)
        {
            if ((uint)blockChunk[i] >= (uint)chunks.Length || blockOffset[i] < 0 || blockLength[i] < 4
                || (long)blockOffset[i] + blockLength[i] > chunks[blockChunk[i]].Length) return null;
        }
        return new CompressedText(chunks, blockChunk, blockOffset, blockLength, charStarts, blockHashes);
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
            long sum = 24L * _charStarts.Length;
            foreach (var chunk in Volatile.Read(ref _chunks)) sum += chunk.InMemory ? chunk.Length + 24 : 24;
            return sum;
        }
    }

    public override (string Window, int Base) WindowOver(int start, int end)
    {
        if (BlockCount == 0) return ("", 0);
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
        byte[]? read = null, utf8 = null;
        try
        {
            var compressed = StoredBlock(Volatile.Read(ref _chunks), block, ref read);
            int bytes = BitConverter.ToInt32(compressed);
            if (bytes < 0 || bytes > MaxBlockBytes) throw new InvalidDataException("a compressed block of a library's text does not decompress");
            utf8 = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(bytes, 1));
            if (!BrotliDecoder.TryDecompress(compressed[4..], utf8, out int written) || written != bytes)
                throw new InvalidDataException("a compressed block of a library's text does not decompress");
            return Encoding.UTF8.GetString(utf8, 0, written);
        }
        finally
        {
            if (read is not null) System.Buffers.ArrayPool<byte>.Shared.Return(read);
            if (utf8 is not null) System.Buffers.ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>The compressed bytes of block <paramref name="block"/> (its length first), as stored in
    /// <paramref name="chunks"/>: in place when they are in memory, else read into <paramref name="buffer"/> (rented from
    /// the shared pool when null; the caller returns it).</summary>
    private ReadOnlySpan<byte> StoredBlock(StoredChunk[] chunks, int block, ref byte[]? buffer)
    {
        var chunk = chunks[_blockChunk[block]];
        if (chunk.TryGetMemory(out var memory)) return memory.Span.Slice(_blockOffset[block], _blockLength[block]);
        buffer ??= System.Buffers.ArrayPool<byte>.Shared.Rent(_blockLength[block]);
        if (buffer.Length < _blockLength[block]) throw new InvalidOperationException("a buffer too small for a block");
        var span = buffer.AsSpan(0, _blockLength[block]);
        chunk.Read(_blockOffset[block], span);
        return span;
    }

    /// <summary>How many bytes of UTF-8 block <paramref name="block"/> holds (the length its compressed bytes start with).</summary>
    private int BlockUtf8Length(StoredChunk[] chunks, int block)
    {
        Span<byte> length = stackalloc byte[4];
        chunks[_blockChunk[block]].Read(_blockOffset[block], length);
        return BitConverter.ToInt32(length);
    }

    /// <summary>
    /// The same bytes, somewhere else: the text reads its blocks from <paramref name="chunks"/> from now on (the chunks of
    /// its cache image, once the server has written it), and lets go of where they lay. Each chunk must hold what the
    /// one it replaces holds, byte for byte: the writer of the image knows, this cannot check without reading them all.
    /// </summary>
    public void Relocate(IReadOnlyList<StoredChunk> chunks)
    {
        var current = Volatile.Read(ref _chunks);
        if (chunks.Count != current.Length) throw new ArgumentException("not as many chunks as the text has", nameof(chunks));
        for (int i = 0; i < current.Length; i++)
            if (chunks[i].Length != current[i].Length) throw new ArgumentException($"chunk {i} is not as long as the text's", nameof(chunks));
        Volatile.Write(ref _chunks, [.. chunks]);
    }

    /// <summary>
    /// Collects the UTF-8 of a text piece by piece (each piece must end at a character boundary) and cuts it into
    /// blocks by content: a block ends before a line that starts with '@' (an entry, in a BibTeX file) once it holds
    /// <c>blockBytes / 2</c>, where the 16 bytes from that '@' on hash to one value in 16, so about 64 KB on average.
    /// When none does up to <c>2 × blockBytes</c>, it ends before the first such line whose hash is one in 4, else
    /// before the last such line, else after the last line break in its first <c>blockBytes</c>. Where pieces begin and
    /// end changes nothing: a cut is decided only once the bytes it looks at are all in. Given the text it replaces, a
    /// block whose bytes that text has already (by hash and length) is taken from it as it is: the block stays in the
    /// replaced text's chunk, which this text then holds too, unless those chunks would be more than half blocks no
    /// longer read (many rewrites on), when the blocks still read are copied out.
    /// </summary>
    public sealed class Builder
    {
        /// <summary>How many bytes after an entry's '@' choose whether a block ends before it.</summary>
        private const int CutWindow = 16;
        private readonly int _blockBytes, _minBlock, _maxBlock;
        private readonly List<byte[]> _chunks = [];
        private byte[] _chunk = [];
        private int _used; // bytes of _chunk holding blocks
        private readonly List<int> _blockChunk = [], _blockOffset = [], _blockLength = [];
        private readonly List<int> _charStarts = [];
        private readonly List<ulong> _blockHashes = [];
        private int _length;
        private byte[] _scratch = [];
        // Bytes appended but not yet in a block: _pending[_pendingStart.._pendingEnd].
        private byte[] _pending = [];
        private int _pendingStart, _pendingEnd;
        // Relative to _pendingStart, for the block being cut: where the search for entry starts goes on, and the last
        // entry start found that did not choose to end the block (0: none).
        private int _searchedTo, _lastEntry, _fallbackEntry;
        private readonly CompressedText? _replaced;
        private readonly StoredChunk[] _replacedChunks = []; // where the replaced text's blocks lay when this began
        private readonly Dictionary<(ulong Hash, int Bytes), int>? _replacedBlocks;
        private int _shared;
        private long _sharedBytes;

        public Builder() : this(64 << 10) { }

        /// <param name="blockBytes">About how much UTF-8 one block holds: reading an entry back decompresses its block.</param>
        /// <param name="replaced">The text this one replaces (a library rewritten whole): blocks it holds are taken from it.</param>
        public Builder(int blockBytes, CompressedText? replaced = null)
        {
            _blockBytes = Math.Max(1, blockBytes);
            _minBlock = _blockBytes / 2;
            _maxBlock = 2 * _blockBytes;
            _replaced = replaced;
            if (replaced is not null)
            {
                _replacedChunks = Volatile.Read(ref replaced._chunks);
                _replacedBlocks = new Dictionary<(ulong, int), int>(replaced.BlockCount);
                for (int b = 0; b < replaced.BlockCount; b++)
                    _replacedBlocks.TryAdd((replaced._blockHashes[b], replaced.BlockUtf8Length(_replacedChunks, b)), b);
            }
        }

        public void Append(ReadOnlySpan<byte> utf8)
        {
            if (_pendingEnd + utf8.Length > _pending.Length)
            {
                // Move what is pending to the front first, then grow only if that is not room enough.
                int pending = _pendingEnd - _pendingStart;
                if (pending + utf8.Length > _pending.Length)
                    Array.Resize(ref _pending, Math.Max(2 * _pending.Length, pending + utf8.Length + _maxBlock + CutWindow));
                _pending.AsSpan(_pendingStart, pending).CopyTo(_pending);
                _pendingStart = 0;
                _pendingEnd = pending;
            }
            utf8.CopyTo(_pending.AsSpan(_pendingEnd));
            _pendingEnd += utf8.Length;
            CutBlocks(final: false);
        }

        /// <summary>Cuts every block whose end is decided (all of them when <paramref name="final"/>).</summary>
        private void CutBlocks(bool final)
        {
            while (_pendingEnd > _pendingStart)
            {
                var pending = _pending.AsSpan(_pendingStart, _pendingEnd - _pendingStart);
                int cut = BlockEnd(pending, final);
                if (cut == 0) return;
                AddBlock(pending[..cut]);
                _pendingStart += cut;
                _searchedTo = _lastEntry = _fallbackEntry = 0;
            }
        }

        /// <summary>Where the block starting at <paramref name="pending"/>'s first byte ends; 0: not decided yet.</summary>
        private int BlockEnd(ReadOnlySpan<byte> pending, bool final)
        {
            bool seenPastMax = false;
            for (int from = Math.Max(_searchedTo, Math.Max(0, _minBlock - 1)); ;)
            {
                int at = from >= pending.Length ? -1 : pending[from..].IndexOf("\n@"u8);
                if (at < 0)
                {
                    _searchedTo = Math.Max(from, pending.Length - 1); // a '\n' last may begin one
                    break;
                }
                int cut = from + at + 1; // the '@': the block ends after the line break
                if (cut > _maxBlock) { seenPastMax = true; break; }
                if (cut + CutWindow > pending.Length && !final) return 0; // its choice needs bytes not in yet
                var window = pending.Slice(cut, Math.Min(CutWindow, pending.Length - cut));
                ulong hash = System.IO.Hashing.XxHash3.HashToUInt64(window);
                if ((hash & 15) == 0) return cut;
                if (_fallbackEntry == 0 && (hash & 3) == 0) _fallbackEntry = cut;
                _lastEntry = cut;
                _searchedTo = from = cut;
            }
            // No entry start in [half a block, two blocks] chose to end it: decided once two blocks are in.
            if (!seenPastMax && pending.Length < _maxBlock + CutWindow && !final) return 0;
            if (pending.Length <= _maxBlock) return pending.Length; // the text's end: the rest is one block
            // The first entry start that one in four would choose (still by content, so the cuts after it agree again
            // soon), else the last one (decided by where this block began).
            if (_fallbackEntry > 0) return _fallbackEntry;
            if (_lastEntry > 0) return _lastEntry;
            int cutAt = CutAt(pending[.._blockBytes]);
            if (cutAt > 0) return cutAt;
            for (int i = _blockBytes; i < pending.Length; i++)
                if ((pending[i] & 0xC0) != 0x80) return i; // no line break or ASCII at all: the next character's start
            return pending.Length;
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
            ulong hash = System.IO.Hashing.XxHash3.HashToUInt64(utf8);
            if (_replacedBlocks is not null && _replacedBlocks.TryGetValue((hash, utf8.Length), out int same))
            {
                // Not even copied: the block stays where it is, in a chunk of the replaced text, which this text then
                // holds too (Build places those chunks after its own; ~chunk marks them until then).
                _blockChunk.Add(~_replaced!._blockChunk[same]);
                _blockOffset.Add(_replaced._blockOffset[same]);
                _blockLength.Add(_replaced._blockLength[same]);
                _sharedBytes += _replaced._blockLength[same];
                _shared++;
            }
            else
            {
                int needed = BrotliEncoder.GetMaxCompressedLength(utf8.Length) + 4;
                if (_scratch.Length < needed) _scratch = new byte[needed];
                // Quality 0: 2.3x on library text (bench/'s 153 MB library: 65 MB) at about 250 MB/s, which keeps up with the scan
                // it runs beside; quality 1 gives 2.5x at two thirds of the speed.
                if (!BrotliEncoder.TryCompress(utf8, _scratch.AsSpan(4), out int written, quality: 0, window: 22))
                    throw new InvalidOperationException("Brotli could not compress a block");
                BitConverter.TryWriteBytes(_scratch, utf8.Length);
                var (chunk, offset) = Place(_scratch.AsSpan(0, written + 4));
                _blockChunk.Add(chunk);
                _blockOffset.Add(offset);
                _blockLength.Add(written + 4);
            }
            _blockHashes.Add(hash);
            _charStarts.Add(_length);
            _length += Encoding.UTF8.GetCharCount(utf8);
            _cutBytes += utf8.Length;
        }

        /// <summary>How many bytes of the text the blocks cut so far hold (those of <see cref="Prefix"/>).</summary>
        internal long CutBytes => _cutBytes;
        private long _cutBytes;

        /// <summary>The blocks cut so far, as a text of their own: the start of the text, readable while the rest is
        /// compressed. Nothing is copied but the block table: what a chunk holds up to its used length never changes (a
        /// chunk that grows is a new array). Only for a text that replaces none.</summary>
        internal CompressedText Prefix()
        {
            if (_replaced is not null) throw new InvalidOperationException("a prefix of a text that takes blocks from another");
            var chunks = new StoredChunk[_chunks.Count + 1];
            for (int i = 0; i < _chunks.Count; i++) chunks[i] = StoredChunk.Of(_chunks[i]);
            chunks[^1] = StoredChunk.Of(_chunk.AsMemory(0, _used));
            return new(chunks, [.. _blockChunk], [.. _blockOffset], [.. _blockLength], [.. _charStarts, _length], [.. _blockHashes]);
        }

        /// <summary>Lays a block after the last: in the current chunk while it fits, else in a new one (a small text's
        /// chunk grows as it fills, so a small file does not take a whole <see cref="ChunkBytes"/>).</summary>
        private (int Chunk, int Offset) Place(ReadOnlySpan<byte> block)
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
            block.CopyTo(_chunk.AsSpan(_used));
            _used += block.Length;
            return (_chunks.Count, _used - block.Length);
        }

        public CompressedText Build()
        {
            CutBlocks(final: true);
            _pending = [];
            if (_shared > 0 && 2 * _sharedBytes < ReplacedChunkBytes())
            {
                // The replaced text's chunks would be mostly blocks no longer read (many rewrites since they were
                // written): copy the blocks still read instead, so a text never holds more than twice its blocks.
                byte[] copy = [];
                for (int b = 0; b < _blockChunk.Count; b++)
                {
                    if (_blockChunk[b] >= 0) continue;
                    if (copy.Length < _blockLength[b]) copy = new byte[Math.Max(_blockLength[b], 2 * copy.Length)];
                    _replacedChunks[~_blockChunk[b]].Read(_blockOffset[b], copy.AsSpan(0, _blockLength[b]));
                    (_blockChunk[b], _blockOffset[b]) = Place(copy.AsSpan(0, _blockLength[b]));
                }
            }
            var chunks = new List<StoredChunk>(_chunks.Count + 1);
            foreach (var chunk in _chunks) chunks.Add(StoredChunk.Of(chunk));
            if (_used > 0) chunks.Add(StoredChunk.Of(_chunk.AsSpan(0, _used).ToArray()));
            var blockChunk = _blockChunk.ToArray();
            if (_replaced is not null)
            {
                var placed = new int[_replacedChunks.Length];
                Array.Fill(placed, -1);
                for (int b = 0; b < blockChunk.Length; b++)
                {
                    if (blockChunk[b] >= 0) continue;
                    int old = ~blockChunk[b];
                    if (placed[old] < 0)
                    {
                        placed[old] = chunks.Count;
                        chunks.Add(_replacedChunks[old]);
                    }
                    blockChunk[b] = placed[old];
                }
            }
            return new([.. chunks], blockChunk, [.. _blockOffset], [.. _blockLength], [.. _charStarts, _length], [.. _blockHashes]) { SharedBlocks = _shared };
        }

        /// <summary>The bytes of the replaced text's chunks that the blocks taken from it lie in.</summary>
        private long ReplacedChunkBytes()
        {
            var seen = new HashSet<int>();
            long bytes = 0;
            foreach (int chunk in _blockChunk)
                if (chunk < 0 && seen.Add(~chunk)) bytes += _replacedChunks[~chunk].Length;
            return bytes;
        }
    }
}
