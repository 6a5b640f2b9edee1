using System.Text;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// A streamed BibTeX file as bytes: its compressed text, line index and keys-only scan (keys, spans, <c>@string</c>
/// macros, the scan's errors). What a warm start reads instead of reading, scanning and compressing the file again.
/// Whether an image still belongs to the file on disk is the caller's to decide (the server's library cache keys it by
/// path, size, time and content hash, and checksums it); reading only checks that the bytes make a well-formed file, so
/// damaged bytes give null, never a library that answers wrongly.
/// </summary>
public static class LibraryImage
{
    /// <summary>Changes whenever what is written changes: an image of another version is never read.</summary>
    public const int FormatVersion = 4;

    /// <summary>True for a lazily decoded file over compressed text (the files worth a warm start: big ones).</summary>
    public static bool CanWrite(LibraryFile file) =>
        file.Papers is LazyBibPapers { Text: CompressedText or CompressingText } && file.Errors is LazyLibraryErrors;

    /// <summary>Where an image put a text's chunks: <see cref="Starts"/>[i] is the position in the output stream of
    /// <see cref="Chunks"/>[i]'s first byte (the text's chunks as they were when written).</summary>
    public sealed record WrittenText(CompressedText Text, IReadOnlyList<StoredChunk> Chunks, long[] Starts);

    /// <summary>Writes the image, once the text is compressed (a first read's text may still be compressing: this waits),
    /// and tells where the text's chunks went (<paramref name="output"/> must tell its position): whoever keeps the file
    /// may have the text read its blocks from there (<see cref="CompressedText.Relocate"/>).</summary>
    public static WrittenText Write(LibraryFile file, Stream output)
    {
        var text = (file.Papers as LazyBibPapers)?.Text switch
        {
            CompressedText compressed => compressed,
            // Not compressed (it failed): no image, a failed write as any other (the library works on from its bytes).
            CompressingText compressing => compressing.WaitCompressed() ?? throw new IOException("the library's text could not be compressed"),
            _ => null,
        };
        if (text is null || file.Papers is not LazyBibPapers papers || file.Errors is not LazyLibraryErrors errors)
            throw new ArgumentException("only a lazily decoded file over compressed text has an image", nameof(file));
        using var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        w.Write(FormatVersion);
        ImageIO.WriteInts(w, text.CharStarts);
        ImageIO.WriteInts(w, text.BlockChunks);
        ImageIO.WriteInts(w, text.BlockOffsets);
        ImageIO.WriteInts(w, text.BlockLengths);
        ImageIO.WriteUlongs(w, text.BlockHashes);
        var chunks = text.Chunks;
        var starts = new long[chunks.Count];
        w.Write(chunks.Count);
        var buffer = new byte[1 << 20];
        for (int i = 0; i < chunks.Count; i++)
        {
            w.Write(chunks[i].Length);
            w.Flush();
            starts[i] = output.Position;
            for (int at = 0; at < chunks[i].Length; at += buffer.Length)
            {
                var piece = buffer.AsSpan(0, Math.Min(buffer.Length, chunks[i].Length - at));
                chunks[i].Read(at, piece);
                w.Write(piece);
            }
        }
        ImageIO.WriteInts(w, file.Lines.LineStarts);
        ImageIO.WriteInts(w, file.Lines.CrlfBits);
        w.Write(file.Lines.Length);
        // The entries column by column: a million keys are one run of UTF-8 and their lengths, their spans five runs
        // of ints and their text hashes one run of 8-byte values, read back with a few big reads rather than six small ones per entry.
        var entries = papers.Entries;
        ImageIO.WriteUtf8Column(w, entries, e => e.Key);
        ImageIO.WriteInts(w, entries, e => e.KeySpan.Start);
        ImageIO.WriteInts(w, entries, e => e.KeySpan.Length);
        ImageIO.WriteInts(w, entries, e => e.EntrySpan.Start);
        ImageIO.WriteInts(w, entries, e => e.EntrySpan.Length);
        ImageIO.WriteInts(w, entries, e => e.ScanEnd);
        ImageIO.WriteUlongs(w, entries, e => e.Hash);
        w.Write(papers.Macros.StopExpandingAt);
        w.Write(papers.Macros.Definitions.Count);
        foreach (var (at, name, value) in papers.Macros.Definitions)
        {
            w.Write(at);
            w.Write(name);
            w.Write(value);
        }
        w.Write(papers.Names.Count);
        foreach (var name in papers.Names.Values) w.Write(name);
        w.Write(errors.ScanErrors.Count);
        foreach (var error in errors.ScanErrors)
        {
            WriteSpan(w, error.Span);
            w.Write(error.Message);
        }
        return new WrittenText(text, chunks, starts);
    }

    /// <summary>The file an image read whole holds (see <see cref="Read(ReadOnlyMemory{byte}, string, LibraryFile?, Func{int, int, StoredChunk})"/>).</summary>
    public static LibraryFile? Read(Stream input, string path, LibraryFile? previous = null)
    {
        var bytes = new MemoryStream();
        input.CopyTo(bytes);
        return Read(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), path, previous, chunkAt: null);
    }

    /// <summary>The file an image holds, its papers decoded lazily as after a scan; null when the bytes do not make one.</summary>
    /// <param name="previous">The version of the file being replaced, if any: its decoded papers are reused as after a scan.</param>
    /// <param name="chunkAt">Where the text reads the chunk that lies at (offset, length) of <paramref name="image"/> (the
    /// server: that stretch of the image file, read by position); null: the chunks are copied out of the image.</param>
    public static LibraryFile? Read(ReadOnlyMemory<byte> image, string path, LibraryFile? previous, Func<int, int, StoredChunk>? chunkAt)
    {
        try
        {
            var input = new MemoryImageStream(image);
            using var r = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
            if (r.ReadInt32() != FormatVersion) return null;
            var charStarts = ImageIO.ReadInts(r, ImageIO.Count(r, int.MaxValue / 8));
            int blockCount = charStarts.Length - 1;
            var blockChunks = ImageIO.ReadInts(r, ImageIO.Count(r, blockCount));
            var blockOffsets = ImageIO.ReadInts(r, ImageIO.Count(r, blockCount));
            var blockLengths = ImageIO.ReadInts(r, ImageIO.Count(r, blockCount));
            var blockHashes = ImageIO.ReadUlongs(r, ImageIO.Count(r, blockCount));
            var chunks = new StoredChunk[ImageIO.Count(r, 1 << 16)];
            for (int i = 0; i < chunks.Length; i++)
            {
                int length = ImageIO.Count(r, 2 * CompressedText.ChunkBytes);
                int at = (int)input.Position;
                var chunk = input.Take(length);
                chunks[i] = chunkAt is null ? StoredChunk.Of(chunk.ToArray()) : chunkAt(at, chunk.Length);
            }
            if (CompressedText.FromChunks(chunks, blockChunks, blockOffsets, blockLengths, charStarts, blockHashes) is not { } text) return null;
            var starts = ImageIO.ReadInts(r, ImageIO.Count(r, int.MaxValue / 8));
            var crlf = ImageIO.ReadInts(r, ImageIO.Count(r, starts.Length / 32 + 1));
            if (LineIndex.FromImage(starts, crlf, r.ReadInt32()) is not { } lines || lines.Length != text.Length) return null;

            var keyBytes = ImageIO.ReadInts(r, ImageIO.Count(r, int.MaxValue / 8));
            int entryCount = keyBytes.Length;
            var keys = ImageIO.ReadBytes(r, int.MaxValue);
            var keyStarts = ImageIO.ReadInts(r, ImageIO.Count(r, entryCount));
            var keyLengths = ImageIO.ReadInts(r, ImageIO.Count(r, entryCount));
            var entryStarts = ImageIO.ReadInts(r, ImageIO.Count(r, entryCount));
            var entryLengths = ImageIO.ReadInts(r, ImageIO.Count(r, entryCount));
            var scanEnds = ImageIO.ReadInts(r, ImageIO.Count(r, entryCount));
            var hashes = ImageIO.ReadUlongs(r, ImageIO.Count(r, entryCount));
            if (keyStarts.Length != entryCount || keyLengths.Length != entryCount || entryStarts.Length != entryCount
                || entryLengths.Length != entryCount || scanEnds.Length != entryCount || hashes.Length != entryCount) return null;
            var entries = new ScannedEntry[entryCount];
            for (int i = 0, at = 0; i < entryCount; i++)
            {
                if (keyBytes[i] < 0 || keyBytes[i] > keys.Length - at) return null;
                var key = Encoding.UTF8.GetString(keys, at, keyBytes[i]);
                at += keyBytes[i];
                entries[i] = new ScannedEntry(key, SpanOf(keyStarts[i], keyLengths[i], text.Length), SpanOf(entryStarts[i], entryLengths[i], text.Length), scanEnds[i], hashes[i]);
                if (i > 0 && entryStarts[i] < entryStarts[i - 1]) return null;
            }
            var macros = new MacroTable { StopExpandingAt = r.ReadInt32() };
            for (int i = ImageIO.Count(r, int.MaxValue); i > 0; i--)
            {
                int at = r.ReadInt32();
                if (at < 0 || at > text.Length) return null;
                macros.Define(r.ReadString(), at, BibValue.Of(r.ReadString()));
            }
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = ImageIO.Count(r, int.MaxValue); i > 0; i--)
            {
                var name = r.ReadString();
                names.TryAdd(name, name);
            }
            var errors = new List<LibraryError>();
            for (int i = ImageIO.Count(r, int.MaxValue); i > 0; i--) errors.Add(new LibraryError(ReadSpan(r, text.Length), r.ReadString()));
            return BibParser.Lazy(path, text, entries, macros, names, errors, lines, previous);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or InvalidDataException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    private static void WriteSpan(BinaryWriter w, TextSpan span)
    {
        w.Write(span.Start);
        w.Write(span.Length);
    }

    private static TextSpan ReadSpan(BinaryReader r, int textLength) => SpanOf(r.ReadInt32(), r.ReadInt32(), textLength);

    private static TextSpan SpanOf(int start, int length, int textLength)
    {
        if (start < 0 || length < 0 || (long)start + length > textLength) throw new InvalidDataException("a span outside the text");
        return new TextSpan(start, length);
    }
}
