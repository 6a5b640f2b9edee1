using Microsoft.Win32.SafeHandles;
using PaperNotes.Core.Text;

namespace PaperNotes.Server.Workspace;

/// <summary>
/// Where a big library's bytes wait while they are compressed, the first time it is read: a temporary file in the
/// library cache's folder, written and read by position. Its pages are the kernel's page cache, not the process's
/// memory, so a million-paper library (1.5 GB) is usable once it is scanned, without holding 1.5 GB meanwhile, nor
/// compressing it on the scan's time. Never a file in the temporary folder: that is often memory itself (tmpfs).
/// The file is deleted as soon as it is open (on Windows, when it is closed), so a crash leaves none behind, and gone
/// when the slab is disposed (the blocks compressed hold its bytes) or collected.
/// </summary>
internal sealed class FileSlab : ByteSlab
{
    private readonly SafeFileHandle _file;
    private readonly int _capacity;

    private FileSlab(SafeFileHandle file, int capacity)
    {
        _file = file;
        _capacity = capacity;
    }

    /// <summary>A slab of <paramref name="capacity"/> bytes in a new file in <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">The file could not be made (a full disk, a read-only cache).</exception>
    public static FileSlab Create(string directory, int capacity)
    {
        Directory.CreateDirectory(directory);
        // *.tmp, which the cache's pruning deletes when a dead process left it (on Windows, where it cannot be deleted open).
        var path = Path.Combine(directory, $"{Environment.ProcessId}.{Guid.NewGuid():N}.bytes.tmp");
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows())
        {
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // deleted on close anyway
        }
        return new FileSlab(file, capacity);
    }

    public override int Capacity => _capacity;

    public override void Write(int offset, byte[] source, int count)
    {
        if (offset < 0 || count < 0 || (long)offset + count > _capacity) throw new ArgumentOutOfRangeException(nameof(offset));
        RandomAccess.Write(_file, source.AsSpan(0, count), offset);
    }

    public override void Read(int offset, byte[] destination, int at, int count)
    {
        if (offset < 0 || count < 0 || (long)offset + count > _capacity) throw new ArgumentOutOfRangeException(nameof(offset));
        for (int done = 0; done < count;)
        {
            int read = RandomAccess.Read(_file, destination.AsSpan(at + done, count - done), offset + done);
            if (read == 0) throw new IOException("a library's bytes waiting to be compressed ended early");
            done += read;
        }
    }

    public override void Dispose() => _file.Dispose();
}
