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
    public const int FormatVersion = 1;

    /// <summary>True for a lazily decoded file over compressed text (the files worth a warm start: big ones).</summary>
    public static bool CanWrite(LibraryFile file) =>
        file.Papers is LazyBibPapers { Text: CompressedText } && file.Errors is LazyLibraryErrors;

    public static void Write(LibraryFile file, Stream output)
    {
        if (file.Papers is not LazyBibPapers { Text: CompressedText text } papers || file.Errors is not LazyLibraryErrors errors)
            throw new ArgumentException("only a lazily decoded file over compressed text has an image", nameof(file));
        using var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        w.Write(FormatVersion);
        w.Write(text.Blocks.Count);
        foreach (int start in text.CharStarts) w.Write(start);
        foreach (var block in text.Blocks)
        {
            w.Write(block.Length);
            w.Write(block);
        }
        ImageIO.WriteInts(w, file.Lines.LineStarts);
        ImageIO.WriteInts(w, file.Lines.LineEnds);
        w.Write(file.Lines.Length);
        w.Write(papers.Entries.Length);
        foreach (var e in papers.Entries)
        {
            w.Write(e.Key);
            WriteSpan(w, e.KeySpan);
            WriteSpan(w, e.EntrySpan);
            w.Write(e.ScanEnd);
        }
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
    }

    /// <summary>The file an image holds, its papers decoded lazily as after a scan; null when the bytes do not make one.</summary>
    /// <param name="previous">The version of the file being replaced, if any: its decoded papers are reused as after a scan.</param>
    public static LibraryFile? Read(Stream input, string path, LibraryFile? previous = null)
    {
        try
        {
            using var r = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
            if (r.ReadInt32() != FormatVersion) return null;
            int blockCount = ImageIO.Count(r, int.MaxValue / 8);
            var charStarts = ImageIO.ReadInts(r, blockCount + 1);
            var blocks = new List<byte[]>(Math.Min(blockCount, 1 << 16));
            for (int i = 0; i < blockCount; i++)
            {
                int length = ImageIO.Count(r, 64 << 20);
                var block = r.ReadBytes(length);
                if (block.Length != length) return null;
                blocks.Add(block);
            }
            if (CompressedText.FromBlocks([.. blocks], charStarts) is not { } text) return null;
            var starts = ImageIO.ReadInts(r, ImageIO.Count(r, int.MaxValue / 8));
            var ends = ImageIO.ReadInts(r, ImageIO.Count(r, int.MaxValue / 8));
            if (LineIndex.FromArrays(starts, ends, r.ReadInt32()) is not { } lines || lines.Length != text.Length) return null;

            int entryCount = ImageIO.Count(r, int.MaxValue);
            var entries = new List<ScannedEntry>(Math.Min(entryCount, 1 << 16));
            for (int i = 0; i < entryCount; i++)
            {
                var entry = new ScannedEntry(r.ReadString(), ReadSpan(r, text.Length), ReadSpan(r, text.Length), r.ReadInt32());
                if (i > 0 && entry.EntrySpan.Start < entries[^1].EntrySpan.Start) return null;
                entries.Add(entry);
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
            return BibParser.Lazy(path, text, [.. entries], macros, names, errors, lines, previous);
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

    private static TextSpan ReadSpan(BinaryReader r, int textLength)
    {
        int start = r.ReadInt32(), length = r.ReadInt32();
        if (start < 0 || length < 0 || (long)start + length > textLength) throw new InvalidDataException("a span outside the text");
        return new TextSpan(start, length);
    }
}
