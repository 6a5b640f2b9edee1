using Microsoft.Win32.SafeHandles;
using PaperNotes.Core.Text;

namespace PaperNotes.Server.Workspace;

/// <summary>
/// A stretch of a library's cache image, read by position (<c>pread</c>): where a library's compressed text lies once
/// its image is written, or from a warm start on. Read this way, the text takes no memory of the process, only the
/// kernel's page cache (a memory map would count every page read in the process's resident memory). The image is
/// never changed in place (a newer one is renamed over it), so the open handle reads the very bytes that were written,
/// even after the path names another file or none. The handle is shared by the image's chunks and closed when the last
/// of them is collected (<see cref="SafeFileHandle"/>'s finalizer).
/// </summary>
internal sealed class FileChunk(SafeFileHandle file, long start, int length) : StoredChunk
{
    public override int Length => length;

    public override void Read(int offset, Span<byte> destination)
    {
        if (offset < 0 || (long)offset + destination.Length > length) throw new ArgumentOutOfRangeException(nameof(offset));
        for (int done = 0; done < destination.Length;)
        {
            int read = RandomAccess.Read(file, destination[done..], start + offset + done);
            if (read == 0) throw new IOException("the library cache's image ended before a block of the library's text");
            done += read;
        }
    }

    /// <summary>The chunks of an image as they lie in <paramref name="file"/>: chunk i from <paramref name="starts"/>[i]
    /// on, as long as <paramref name="lengths"/>[i].</summary>
    public static StoredChunk[] Of(SafeFileHandle file, long[] starts, IReadOnlyList<StoredChunk> lengths)
    {
        var chunks = new StoredChunk[starts.Length];
        for (int i = 0; i < chunks.Length; i++) chunks[i] = new FileChunk(file, starts[i], lengths[i].Length);
        return chunks;
    }
}
