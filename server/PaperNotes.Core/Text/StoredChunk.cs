namespace PaperNotes.Core.Text;

/// <summary>
/// Where a run of a <see cref="CompressedText"/>'s blocks lies: in memory, or somewhere read by position (a stretch of
/// the library's cache image, which the server provides: Core does no IO). A text whose blocks are read from a file
/// holds none of them in memory, and the page cache that serves the reads is the kernel's to keep or drop.
/// </summary>
public abstract class StoredChunk
{
    /// <summary>How many bytes it holds.</summary>
    public abstract int Length { get; }

    /// <summary>Copies the bytes from <paramref name="offset"/> on into all of <paramref name="destination"/>.</summary>
    /// <exception cref="IOException">They could not be read (a file gone short, a failing disk).</exception>
    public abstract void Read(int offset, Span<byte> destination);

    /// <summary>The bytes themselves, when they are in memory (read in place); else empty and false.</summary>
    public virtual bool TryGetMemory(out ReadOnlyMemory<byte> memory)
    {
        memory = default;
        return false;
    }

    /// <summary>Whether the bytes take memory of this process (not a file's pages, which the kernel may drop).</summary>
    public virtual bool InMemory => TryGetMemory(out _);

    /// <summary>A chunk of bytes in memory: an array's, or a memory map's.</summary>
    public static StoredChunk Of(ReadOnlyMemory<byte> bytes) => new MemoryChunk(bytes);

    private sealed class MemoryChunk(ReadOnlyMemory<byte> bytes) : StoredChunk
    {
        public override int Length => bytes.Length;

        public override void Read(int offset, Span<byte> destination) => bytes.Span.Slice(offset, destination.Length).CopyTo(destination);

        public override bool TryGetMemory(out ReadOnlyMemory<byte> memory)
        {
            memory = bytes;
            return true;
        }
    }
}
