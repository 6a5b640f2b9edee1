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
    public static void WriteInts(BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        if (!BitConverter.IsLittleEndian) { foreach (int v in values) w.Write(v); return; }
        w.Flush();
        w.BaseStream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Reads <paramref name="count"/> ints; an image shorter than that ends the read (never a huge allocation
    /// from a damaged count: the array grows only as the bytes arrive, a million ints at a time).</summary>
    public static int[] ReadInts(BinaryReader r, int count)
    {
        if (!BitConverter.IsLittleEndian)
        {
            var list = new List<int>(Math.Min(count, 1 << 16));
            for (int i = 0; i < count; i++) list.Add(r.ReadInt32());
            return [.. list];
        }
        var values = new int[Math.Min(count, 1 << 20)];
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

    /// <summary>Reads a length-prefixed byte array; a damaged length ends the read (the array grows as bytes arrive).</summary>
    public static byte[] ReadBytes(BinaryReader r)
    {
        int count = Count(r, int.MaxValue);
        var bytes = new byte[Math.Min(count, 1 << 24)];
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
