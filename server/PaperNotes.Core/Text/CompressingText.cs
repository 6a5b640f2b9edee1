using System.Buffers;
using System.Text;

namespace PaperNotes.Core.Text;

/// <summary>
/// A big text read from disk for the first time, answered from its UTF-8 bytes while its <see cref="CompressedText"/>
/// is built on another thread, then from that. Compressing is most of a first read (bench/'s 100,000-paper library:
/// 0.7 s of Brotli beside a 0.3 s scan), so the library is usable before it is done. The bytes lie in slabs
/// (<see cref="ByteSlab"/>): files the server gives (their pages are the kernel's page cache, not the process's memory),
/// else native memory, not the managed heap. Each slab goes as soon as the blocks compressed so far
/// (<see cref="CompressedText.Builder.Prefix"/>, which then answers for that part) hold all of it: the text never
/// costs its bytes and its compressed blocks at once, and no slab lingers until a full collection. In native memory,
/// only texts of at most <see cref="MaxBytes"/> are held so; a bigger one is compressed as it is read.
/// Immutable once built (what it reads from changes, what it reads does not); reads may come from any thread.
/// </summary>
public sealed class CompressingText : SourceText
{
    /// <summary>The most bytes held uncompressed in native memory, for about a second: a million-paper library (1.5 GB) is not.</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>How much one slab holds (a longer piece has one of its own).</summary>
    private const int SlabBytes = 64 << 20;

    private readonly Piece[] _pieces;
    private readonly int[] _pieceChars; // the UTF-16 offset of each piece; one more at the end: Length
    private readonly ByteSlab?[] _slabs; // null once let go of (under _gate)
    private readonly object _gate = new();
    private CompressedText? _compressed; // the whole text, once built
    private CompressedText? _prefix; // its start, while it is built
    private bool _failed; // the compression threw: bytes it let go of are gone for good
    // The pieces read last, as text: a run of reads (decoding entries in order) decodes each piece once.
    private DecodedWindow? _recent;

    /// <summary>Where a piece's bytes are: its slab, their offset there and in the whole text, and how many.</summary>
    private readonly record struct Piece(int Slab, int Offset, long At, int Bytes);

    private sealed record DecodedWindow(int First, int Last, string Text);

    private CompressingText(Piece[] pieces, int[] pieceChars, ByteSlab[] slabs, int blockBytes, Task after)
    {
        _pieces = pieces;
        _pieceChars = pieceChars;
        _slabs = slabs;
        // A thread of its own: whoever waits for it (DecodeAll) may hold the pool's threads.
        Compressed = after.ContinueWith(_ => Compress(blockBytes), CancellationToken.None, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
        Settled = Compressed.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The compressed text, once built (faulted if it could not be: this text then keeps its bytes).</summary>
    public Task<CompressedText> Compressed { get; }

    public override Task Settled { get; }

    /// <summary>The compressed text, once it is built (this waits); null when it could not be.</summary>
    public CompressedText? WaitCompressed()
    {
        Settled.Wait();
        return Compressed.IsCompletedSuccessfully ? Compressed.Result : null;
    }

    public override int Length => _pieceChars[^1];

    public override long RetainedBytes
    {
        get
        {
            if (Volatile.Read(ref _compressed) is { } compressed) return compressed.RetainedBytes;
            lock (_gate) return _slabs.Sum(s => s is { InMemory: true } ? s.Used : 0L) + (_prefix?.RetainedBytes ?? 0);
        }
    }

    public override (string Window, int Base) WindowOver(int start, int end)
    {
        if (Volatile.Read(ref _compressed) is { } compressed) return compressed.WindowOver(start, end);
        if (_pieces.Length == 0) return ("", 0);
        start = Math.Clamp(start, 0, Length);
        end = Math.Clamp(end, start, Length);
        if (Volatile.Read(ref _prefix) is { } prefix && end <= prefix.Length) return prefix.WindowOver(start, end);
        int first = PieceAt(start), last = end > start ? PieceAt(end - 1) : first;
        if (Volatile.Read(ref _recent) is { } recent && recent.First <= first && last <= recent.Last)
            return (recent.Text, _pieceChars[recent.First]);
        int count = (int)(_pieces[last].At + _pieces[last].Bytes - _pieces[first].At);
        var utf8 = ArrayPool<byte>.Shared.Rent(Math.Max(1, count));
        try
        {
            SourceText? compressedMeanwhile = null;
            lock (_gate)
            {
                while (compressedMeanwhile is null && !Held(first, last))
                {
                    if (_compressed is { } whole) compressedMeanwhile = whole;
                    else if (_prefix is { } head && end <= head.Length) compressedMeanwhile = head;
                    // Some of these bytes are compressed already, the rest not yet: the compression is right there.
                    else if (_failed) throw new InvalidOperationException("the library's text could not be compressed");
                    else Monitor.Wait(_gate);
                }
                if (compressedMeanwhile is null)
                    for (int p = first, at = 0; p <= last; at += _pieces[p].Bytes, p++) ReadBack(_slabs, _pieces[p], utf8, at);
            }
            if (compressedMeanwhile is not null) return compressedMeanwhile.WindowOver(start, end);
            var text = Encoding.UTF8.GetString(utf8, 0, count);
            Volatile.Write(ref _recent, new DecodedWindow(first, last, text));
            return (text, _pieceChars[first]);
        }
        finally { ArrayPool<byte>.Shared.Return(utf8); }
    }

    /// <summary>Whether the bytes of pieces <paramref name="first"/> to <paramref name="last"/> are all still held.</summary>
    private bool Held(int first, int last)
    {
        for (int p = first; p <= last; p++)
            if (_slabs[_pieces[p].Slab] is null) return false;
        return true;
    }

    private int PieceAt(int offset)
    {
        int i = Array.BinarySearch(_pieceChars, 0, _pieceChars.Length - 1, offset);
        return Math.Max(0, i >= 0 ? i : ~i - 1);
    }

    private CompressedText Compress(int blockBytes)
    {
        try
        {
            return CompressAll(blockBytes);
        }
        catch
        {
            // Nothing waits for what will not come (readers of bytes compressed, then lost with the rest, are told).
            lock (_gate)
            {
                _failed = true;
                Monitor.PulseAll(_gate);
            }
            throw;
        }
    }

    private CompressedText CompressAll(int blockBytes)
    {
        var builder = new CompressedText.Builder(blockBytes);
        // Only this thread lets go of slabs, and not of one it has still to read: no gate needed to read.
        AppendAll(_pieces, _slabs, builder, afterSlab: () => Publish(builder.Prefix(), builder.CutBytes));
        var compressed = builder.Build();
        lock (_gate)
        {
            Volatile.Write(ref _compressed, compressed);
            _prefix = null;
            _recent = null;
            for (int s = 0; s < _slabs.Length; s++) LetGo(s);
            Monitor.PulseAll(_gate);
        }
        return compressed;
    }

    /// <summary>The blocks compressed so far answer for their part of the text; the slabs they hold all of go.</summary>
    private void Publish(CompressedText prefix, long bytes)
    {
        lock (_gate)
        {
            Volatile.Write(ref _prefix, prefix);
            for (int s = 0; s < _slabs.Length; s++)
                if (_slabs[s] is { } slab && slab.End <= bytes) LetGo(s);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Every piece's bytes, read back in order, appended to <paramref name="builder"/>; after the last piece of
    /// each slab but the last, <paramref name="afterSlab"/>.</summary>
    private static void AppendAll(IReadOnlyList<Piece> pieces, IReadOnlyList<ByteSlab?> slabs, CompressedText.Builder builder, Action? afterSlab = null)
    {
        var bytes = new byte[1 << 16];
        for (int p = 0; p < pieces.Count; p++)
        {
            var piece = pieces[p];
            if (bytes.Length < piece.Bytes) bytes = new byte[piece.Bytes];
            ReadBack(slabs, piece, bytes, 0);
            builder.Append(bytes.AsSpan(0, piece.Bytes));
            if (p + 1 < pieces.Count && pieces[p + 1].Slab != piece.Slab) afterSlab?.Invoke();
        }
    }

    private static void ReadBack(IReadOnlyList<ByteSlab?> slabs, Piece piece, byte[] into, int at) =>
        slabs[piece.Slab]!.Read(piece.Offset, into, at, piece.Bytes);

    private void LetGo(int slab)
    {
        _slabs[slab]?.Dispose();
        _slabs[slab] = null;
    }

    /// <summary>Collects a text's UTF-8 piece by piece (each ending at a character boundary, with its length in UTF-16
    /// code units), up to a length given at the start.</summary>
    public sealed class Builder
    {
        private readonly long _capacity;
        private readonly int _slabBytes;
        private readonly Func<int, ByteSlab> _newSlab;
        private readonly List<ByteSlab> _slabs = [];
        private readonly List<Piece> _pieces = [];
        private readonly List<int> _pieceChars = [0];
        private long _length;

        /// <param name="capacity">The most bytes that will be appended (1 to <see cref="MaxBytes"/>): they wait in native memory.</param>
        public Builder(long capacity) : this(capacity, SlabBytes, ByteSlab.Native) { }

        /// <param name="capacity">The most bytes that will be appended (any number: they wait where <paramref name="newSlab"/> puts them).</param>
        /// <param name="newSlab">A slab of at least the given capacity: where the bytes wait (a file's, given by the server).</param>
        public Builder(long capacity, Func<int, ByteSlab> newSlab) : this(capacity, SlabBytes, newSlab, limited: false) { }

        /// <summary>Tests hold a text in many small slabs, to let go of them one by one.</summary>
        internal Builder(long capacity, int slabBytes, Func<int, ByteSlab> newSlab, bool limited = true)
        {
            if (capacity < 1 || limited && capacity > MaxBytes) throw new ArgumentOutOfRangeException(nameof(capacity));
            _capacity = capacity;
            _slabBytes = Math.Max(1, slabBytes);
            _newSlab = newSlab;
        }

        /// <summary>The next <paramref name="count"/> bytes of <paramref name="utf8"/>, which are <paramref name="chars"/>
        /// UTF-16 code units of text; false, appending nothing, when they go past the capacity.</summary>
        public bool TryAppend(byte[] utf8, int count, int chars)
        {
            if (_length + count > _capacity) return false;
            if (count == 0) return true;
            if (_slabs.Count == 0 || _slabs[^1].Capacity - _slabs[^1].Used < count)
                _slabs.Add(_newSlab(Math.Max(_slabBytes, count)));
            var slab = _slabs[^1];
            slab.Write(slab.Used, utf8, count);
            _pieces.Add(new Piece(_slabs.Count - 1, slab.Used, _length, count));
            slab.Used += count;
            _length += count;
            slab.End = _length;
            _pieceChars.Add(_pieceChars[^1] + chars);
            return true;
        }

        /// <summary>What was appended, compressed now into a builder that goes on from there; this builder is done.</summary>
        public CompressedText.Builder Compressing(int blockBytes)
        {
            var builder = new CompressedText.Builder(blockBytes);
            AppendAll(_pieces, _slabs, builder);
            foreach (var slab in _slabs) slab.Dispose();
            return builder;
        }

        /// <summary>The text, which starts compressing itself into blocks of about <paramref name="blockBytes"/> on a thread
        /// of its own (once <paramref name="after"/> is done: tests read it before).</summary>
        public CompressingText Build(int blockBytes, Task? after = null) =>
            new([.. _pieces], [.. _pieceChars], [.. _slabs], blockBytes, after ?? Task.CompletedTask);
    }
}
