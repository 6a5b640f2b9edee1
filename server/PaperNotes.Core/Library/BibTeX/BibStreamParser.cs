using System.Text;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// Parses a BibTeX file from its UTF-8 bytes as they are read, never holding its whole text as one string: a
/// reference manager's library of a million papers is 1.5 GB, over .NET's largest string, and even at 100,000 papers
/// the string (twice the file) was most of the server's memory. The bytes go in pieces of about 1 MB, cut after a line
/// break, to three places: <see cref="CompressedText"/> (what lazily decoded entries are read from later), the line
/// index, and the keys-only scan, which reads window by window (<see cref="BibReader.ScanWindow"/>) and gives exactly
/// what <see cref="BibParser.Parse"/> gives for the whole text. Given the file it replaces, compression runs on another
/// core meanwhile and takes the blocks that did not change from that file's text rather than compressing them again.
/// A first read (no file replaced) keeps the bytes instead and compresses them after the scan
/// (<see cref="CompressingText"/>): the library is usable when the scan is done, not the compression. They wait in the
/// slabs the caller gives (the server: files, so a read of any size), else in native memory, for a file of up to
/// <see cref="CompressingText.MaxBytes"/>; a bigger one is then compressed as it is read.
/// </summary>
public sealed class BibStreamParser
{
    /// <summary>How much is decoded, scanned and compressed at once: the pieces' copies handed to compression stay under
    /// the 4 MB from which .NET puts an object in the large object heap, which only a full collection frees (with 4 MB
    /// pieces, a 100,000-paper reload left some 200 MB of such arrays and strings behind it at its peak).</summary>
    private const int SegmentBytes = 1 << 20;

    private readonly int _segmentBytes;
    private readonly string _path;
    private readonly LibraryFile? _previous;
    private readonly BibReader _reader;
    // Either the blocks are compressed as the file is read (beside the scan, on another core), or, on a first read of a
    // file of at most CompressingText.MaxBytes, its bytes are kept and compressed after the scan (see CompressingText).
    private CompressedText.Builder? _text;
    private CompressingText.Builder? _bytes;
    private readonly int _blockBytes;
    private readonly LineIndex.Builder _lines;
    private byte[] _pending;
    private int _pendingLength;
    private bool _started;
    // The scan's window: what the last window left (from the last non-blank character before where the scan stopped, an
    // entry that may go on in the next piece) at _carryStart, then the next piece decoded after it. One buffer for the
    // whole read: a string per window was twice the file in garbage, and the collector promoted the windows alive at
    // each collection, which is what a reload's resident memory rose by.
    private char[] _window = [];
    private int _carryStart;
    private int _carryLength;
    private int _carryBase;
    private int _resume;
    // Compression (or, for a first read's held bytes, their writing) and the line starts run beside the scan, piece
    // after piece in order, on the thread pool: each piece's task follows the last one's. At most MaxCompressing pieces
    // wait (their bytes copied), so a slow compression holds the read back rather than the file in memory; a parser left
    // unfinished (a read that failed) leaves no thread waiting.
    private const int MaxCompressing = 4;
    private readonly Queue<Task> _compressing = new();
    private Task _compressed = Task.CompletedTask;
    private readonly long _byteLength;
    private long _held; // bytes handed to _bytes (some perhaps still on the chain)
    private readonly System.Collections.Concurrent.ConcurrentBag<byte[]> _spare = [];

    /// <param name="byteLength">The file's length: macros may expand to a budget based on it, as for the whole text.</param>
    /// <param name="previous">The version of this file being replaced, if any (see <see cref="BibParser.Parse"/>).</param>
    /// <param name="spill">Where a first read's bytes wait to be compressed (see <see cref="CompressingText.Builder(long, Func{int, ByteSlab})"/>);
    /// null: in native memory, up to <see cref="CompressingText.MaxBytes"/>.</param>
    public BibStreamParser(string path, long byteLength, LibraryFile? previous = null, Func<int, ByteSlab>? spill = null)
        : this(path, byteLength, previous, SegmentBytes, 64 << 10, CompressingText.MaxBytes, spill) { }

    /// <summary>Tests read in tiny pieces and blocks, to cut entries everywhere.</summary>
    /// <param name="holdUpTo">The longest first read whose bytes are kept in native memory and compressed after the scan.</param>
    internal BibStreamParser(string path, long byteLength, LibraryFile? previous, int segmentBytes, int blockBytes, long holdUpTo, Func<int, ByteSlab>? spill = null)
    {
        _segmentBytes = segmentBytes;
        _blockBytes = blockBytes;
        _byteLength = byteLength;
        _pending = new byte[segmentBytes + 1024];
        // The replaced file's blocks that the new one cuts alike (all but those near a change) are taken, not compressed:
        // then nothing is worth holding back.
        var replaced = TextOf(previous);
        if (replaced is null && byteLength > 0 && spill is not null) _bytes = new CompressingText.Builder(byteLength, spill);
        else if (replaced is null && byteLength > 0 && byteLength <= Math.Min(holdUpTo, CompressingText.MaxBytes)) _bytes = new CompressingText.Builder(byteLength);
        else _text = new CompressedText.Builder(blockBytes, replaced);
        _path = path;
        _previous = previous;
        // A rewrite mostly has the lines the file had.
        _lines = new LineIndex.Builder(previous?.Lines.LineStarts.Length ?? 0);
        _reader = BibReader.ForWindows(byteLength).ReusingKeysOf((previous?.Papers as LazyBibPapers)?.KeyIndex(path));
    }

    /// <summary>The next bytes of the file, any number.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (!_started && _pendingLength + bytes.Length < 3) { Buffer(bytes); return; }
        Buffer(bytes);
        if (!_started)
        {
            _started = true;
            if (_pending.AsSpan(0, _pendingLength).StartsWith("\uFEFF"u8)) Consume(3); // a UTF-8 byte order mark is not text
        }
        while (_pendingLength >= _segmentBytes)
        {
            int cut = CompressedText.Builder.CutAt(_pending.AsSpan(0, _segmentBytes));
            if (cut == 0) cut = CompressedText.Builder.CutAt(_pending.AsSpan(0, _pendingLength));
            if (cut == 0) break; // no character ends yet: wait for more
            Process(cut, final: false);
            Consume(cut);
        }
    }

    /// <summary>The parsed file once every byte is in.</summary>
    public LibraryFile Finish()
    {
        Process(_pendingLength, final: true);
        _pending = [];
        _window = [];
        _compressed.GetAwaiter().GetResult(); // every piece compressed (or the first failure thrown)
        _spare.Clear();
        SourceText text = _bytes is not null ? _bytes.Build(_blockBytes) : _text!.Build();
        var lines = _lines.Build();
        if (_reader.HasInheritance)
        {
            // Entries that inherit fields (crossref, xdata) are resolved together, over the whole text: such files are
            // hand-made and small.
            return BibParser.ParseEager(_path, text.WindowOver(0, text.Length).Window, lines, text);
        }
        return BibParser.Lazy(_path, _reader, text, lines, _previous);
    }

    /// <summary>The compressed text of the file <paramref name="previous"/> read, waiting for it if it is still being
    /// compressed (a rewrite right after a first read: its blocks are worth the wait); null when there is none.</summary>
    private static CompressedText? TextOf(LibraryFile? previous) => (previous?.Papers as LazyBibPapers)?.Text switch
    {
        CompressedText text => text,
        CompressingText text => text.WaitCompressed(), // null if it failed: this file's text is compressed from scratch
        _ => null,
    };

    /// <summary>A piece compressed on the chain, and its line starts found there (from its UTF-8: off the scan's core).</summary>
    private void Compress(ReadOnlySpan<byte> bytes)
    {
        var (text, lines) = (_text!, _lines);
        Chain(bytes, (copy, length) =>
        {
            lines.AppendUtf8(copy.AsSpan(0, length));
            text.Append(copy.AsSpan(0, length));
        });
    }

    /// <summary>A first read's piece held on the chain, and its line starts found there: writing a file's pages (the
    /// server's slabs) is the scan's time otherwise (at 1M, 1.5 GB), while the other core waits for the compression that
    /// comes after the scan.</summary>
    private void Hold(int count, int chars)
    {
        var (bytes, lines) = (_bytes!, _lines);
        Chain(_pending.AsSpan(0, count), (copy, length) =>
        {
            lines.AppendUtf8(copy.AsSpan(0, length));
            if (!bytes.TryAppend(copy, length, chars)) throw new InvalidOperationException("bytes past what was checked to fit");
        });
    }

    private void Chain(ReadOnlySpan<byte> bytes, Action<byte[], int> work)
    {
        while (_compressing.Count >= MaxCompressing) _compressing.Dequeue().GetAwaiter().GetResult();
        // The copies are this parser's own, reused piece after piece and dropped with it: the shared pool would keep
        // dozens of 1 MB arrays for the rest of the process.
        if (!_spare.TryTake(out var copy) || copy.Length < bytes.Length) copy = new byte[Math.Max(bytes.Length, _segmentBytes)];
        bytes.CopyTo(copy);
        int length = bytes.Length;
        _compressed = _compressed.ContinueWith(before =>
        {
            try
            {
                before.GetAwaiter().GetResult(); // a failure goes on down the chain, to Finish
                work(copy, length);
            }
            finally { _spare.Add(copy); }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        _compressing.Enqueue(_compressed);
    }

    private void Buffer(ReadOnlySpan<byte> bytes)
    {
        if (_pendingLength + bytes.Length > _pending.Length)
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + bytes.Length));
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    private void Consume(int count)
    {
        _pending.AsSpan(count, _pendingLength - count).CopyTo(_pending);
        _pendingLength -= count;
    }

    /// <summary>The first <paramref name="count"/> pending bytes: handed to compression (on another core), then decoded
    /// and scanned here.</summary>
    private void Process(int count, bool final)
    {
        int chars = Encoding.UTF8.GetCharCount(_pending.AsSpan(0, count));
        int carry = _carryLength;
        if (_window.Length < carry + chars)
        {
            var larger = new char[Math.Max(carry + chars, _window.Length * 2)];
            _window.AsSpan(_carryStart, carry).CopyTo(larger);
            _window = larger;
        }
        else
        {
            _window.AsSpan(_carryStart, carry).CopyTo(_window); // overlapping: copied as if through a buffer
        }
        Encoding.UTF8.GetChars(_pending.AsSpan(0, count), _window.AsSpan(carry, chars));
        var window = _window.AsMemory(0, carry + chars);
        if (_bytes is not null && _held + count > _byteLength)
        {
            // More bytes than the file had when it was opened: compressed as they are read from here on.
            _compressed.GetAwaiter().GetResult(); // every piece held so far is held
            _text = _bytes.Compressing(_blockBytes);
            _bytes = null;
        }
        if (_bytes is not null)
        {
            _held += count;
            Hold(count, chars);
        }
        if (_text is not null) Compress(_pending.AsSpan(0, count));
        _resume = _reader.ScanWindow(window, _carryBase, _resume, final);
        if (final) return;
        // The next window starts at the last character before the scan's stop that is not a blank: looking back from an
        // '@' (is it first on its line? right after a word?) stops at such a character, so it sees what the whole text shows.
        int relative = _resume - _carryBase;
        int keep = Math.Max(0, window.Span[..relative].LastIndexOfAnyExcept(' ', '\t'));
        (_carryStart, _carryLength) = (keep, window.Length - keep);
        _carryBase += keep;
    }
}
