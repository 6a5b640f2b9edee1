namespace PaperNotes.Core.Workspace;

/// <summary>Reading and writing the parts of an image (<see cref="Library.BibTeX.LibraryImage"/>,
/// <see cref="Search.SearchIndexImage"/>): counts that damaged bytes cannot turn into huge allocations, int arrays as raw bytes.</summary>
internal static class ImageIO
{
    public static int Count(BinaryReader r, int max)
    {
        int n = r.ReadInt32();
        return n >= 0 && n <= max ? n : throw new InvalidDataException("a count out of range");
    }

    // Line starts are millions of ints: written and read as raw bytes (little-endian, as BinaryWriter writes ints).
    public static void WriteInts(BinaryWriter w, int[] values) => WriteValues(w, values, (w, v) => w.Write(v));

    public static void WriteUlongs(BinaryWriter w, ulong[] values) => WriteValues(w, values, (w, v) => w.Write(v));

    /// <summary>Writes what <see cref="WriteInts"/> writes for the array of <paramref name="value"/> over
    /// <paramref name="items"/>, without making that array: an image's columns (a million entries' spans, six of them)
    /// were arrays made only to be written, at the moment a reload's memory peaks.</summary>
    public static void WriteInts<TItem>(BinaryWriter w, TItem[] items, Func<TItem, int> value) =>
        WriteColumn(w, items, value, (w, v) => w.Write(v));

    /// <summary>As <see cref="WriteInts{TItem}"/>, for 8-byte values.</summary>
    public static void WriteUlongs<TItem>(BinaryWriter w, TItem[] items, Func<TItem, ulong> value) =>
        WriteColumn(w, items, value, (w, v) => w.Write(v));

    private static void WriteColumn<TItem, T>(BinaryWriter w, TItem[] items, Func<TItem, T> value, Action<BinaryWriter, T> writeOne) where T : unmanaged
    {
        w.Write(items.Length);
        if (!BitConverter.IsLittleEndian) { foreach (var item in items) writeOne(w, value(item)); return; }
        w.Flush();
        var buffer = new T[Math.Min(items.Length, 8192)];
        for (int at = 0; at < items.Length; at += buffer.Length)
        {
            int n = Math.Min(buffer.Length, items.Length - at);
            for (int i = 0; i < n; i++) buffer[i] = value(items[at + i]);
            w.BaseStream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
        }
    }

    /// <summary>Writes what <see cref="WriteInts(BinaryWriter, int[])"/> of the strings' UTF-8 lengths and then
    /// <see cref="WriteBytes"/> of their UTF-8 one after the other write, a buffer at a time.</summary>
    public static void WriteUtf8Column<TItem>(BinaryWriter w, TItem[] items, Func<TItem, string> text)
    {
        long total = 0;
        WriteInts(w, items, item =>
        {
            int bytes = System.Text.Encoding.UTF8.GetByteCount(text(item));
            total += bytes;
            return bytes;
        });
        if (total > int.MaxValue) throw new IOException("the image's strings are over 2 GB");
        w.Write((int)total);
        var buffer = new byte[64 << 10];
        int used = 0;
        foreach (var item in items)
        {
            var s = text(item);
            int most = System.Text.Encoding.UTF8.GetMaxByteCount(s.Length);
            if (used + most > buffer.Length)
            {
                w.Write(buffer, 0, used);
                used = 0;
                if (most > buffer.Length) buffer = new byte[most];
            }
            used += System.Text.Encoding.UTF8.GetBytes(s, buffer.AsSpan(used));
        }
        w.Write(buffer, 0, used);
    }

    private static void WriteValues<T>(BinaryWriter w, T[] values, Action<BinaryWriter, T> writeOne) where T : unmanaged
    {
        w.Write(values.Length);
        if (!BitConverter.IsLittleEndian) { foreach (var v in values) writeOne(w, v); return; }
        w.Flush();
        w.BaseStream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Reads <paramref name="count"/> ints (or other values); an image shorter than that ends the read (never a huge allocation
    /// from a damaged count: the array is made whole only when the stream holds its bytes, else it grows as they arrive,
    /// a million at a time).</summary>
    public static int[] ReadInts(BinaryReader r, int count) => ReadValues(r, count, r => r.ReadInt32());

    public static ulong[] ReadUlongs(BinaryReader r, int count) => ReadValues(r, count, r => r.ReadUInt64());

    private static T[] ReadValues<T>(BinaryReader r, int count, Func<BinaryReader, T> readOne) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            var list = new List<T>(Math.Min(count, 1 << 16));
            for (int i = 0; i < count; i++) list.Add(readOne(r));
            return [.. list];
        }
        // A stream that holds that many bytes (an image read from memory or a file) gets the array at once: growing it
        // copied the line starts of a million-paper library (10 million ints) four times over on a warm start.
        var stream = r.BaseStream;
        long remaining = stream is MemoryImageStream || stream.CanSeek ? stream.Length - stream.Position : -1;
        bool whole = remaining >= (long)count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var values = new T[whole ? count : Math.Min(count, 1 << 20)];
        for (int read = 0; read < count;)
        {
            if (read == values.Length) Array.Resize(ref values, (int)Math.Min(count, 2L * values.Length));
            int take = Math.Min(values.Length, count) - read;
            r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan(read, take)));
            read += take;
        }
        return values.Length == count ? values : values[..count];
    }

    public static void WriteStrings(BinaryWriter w, string[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    public static string[] ReadStrings(BinaryReader r, int count)
    {
        var values = new List<string>(Math.Min(count, 1 << 16));
        for (int i = 0; i < count; i++) values.Add(r.ReadString());
        return [.. values];
    }

    public static void WriteBytes(BinaryWriter w, byte[] values)
    {
        w.Write(values.Length);
        w.Write(values);
    }

    /// <summary>Reads a length-prefixed byte array of at most <paramref name="max"/> bytes; a damaged length ends the
    /// read (past 64 MB the array grows as bytes arrive).</summary>
    public static byte[] ReadBytes(BinaryReader r, int max = int.MaxValue)
    {
        int count = Count(r, max);
        var bytes = new byte[Math.Min(count, 1 << 26)];
        for (int read = 0; read < count;)
        {
            if (read == bytes.Length) Array.Resize(ref bytes, (int)Math.Min(count, 2L * bytes.Length));
            int take = Math.Min(bytes.Length, count) - read;
            r.BaseStream.ReadExactly(bytes.AsSpan(read, take));
            read += take;
        }
        return bytes.Length == count ? bytes : bytes[..count];
    }
}

/// <summary>Reads an image held in memory (a memory map of its file, or an array) as a stream, and hands out runs of
/// it as they are (<see cref="Take"/>), never copied.</summary>
public sealed class MemoryImageStream(ReadOnlyMemory<byte> image) : Stream
{
    private int _position;

    /// <summary>The next <paramref name="count"/> bytes, as memory of the image; an image shorter than that ends the read.</summary>
    public ReadOnlyMemory<byte> Take(int count)
    {
        if (count < 0 || count > image.Length - _position) throw new EndOfStreamException();
        var run = image.Slice(_position, count);
        _position += count;
        return run;
    }

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, image.Length - _position);
        image.Span.Slice(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int ReadByte() => _position < image.Length ? image.Span[_position++] : -1;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => image.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
