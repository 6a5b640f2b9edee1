using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace PaperNotes.Server.Workspace;

/// <summary>
/// A file mapped read-only into memory, as <see cref="Memory{T}"/>: what a warm start reads its images through. The
/// pages of an unchanged image are already in the page cache, so the map costs neither a read nor a copy, and memory
/// of it (a library's compressed blocks) stays usable as long as anything holds it: the map is released when the last
/// holder is collected (the view's own safe handle unmaps it) or on <see cref="IDisposable.Dispose"/>. So whoever reads
/// a span of it keeps its holder alive meanwhile (<see cref="GC.KeepAlive"/>). Images are replaced by a rename, never
/// rewritten in place, so a mapped image keeps its bytes when a newer one is written.
/// </summary>
internal sealed unsafe class MappedFile : MemoryManager<byte>
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private readonly int _length;
    private int _released;

    private MappedFile(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* pointer, int length)
    {
        _file = file;
        _view = view;
        _pointer = pointer;
        _length = length;
    }

    /// <summary>Maps <paramref name="stream"/>'s file (1 byte to 2 GB: longer files are not images this server writes).</summary>
    public static MappedFile Open(FileStream stream)
    {
        long length = stream.Length;
        if (length is <= 0 or > int.MaxValue) throw new InvalidDataException("not an image's length");
        var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            // Not AcquirePointer: its reference would keep the view mapped after the last holder is gone.
            var pointer = (byte*)view.SafeMemoryMappedViewHandle.DangerousGetHandle() + view.PointerOffset;
            return new MappedFile(file, view, pointer, (int)length);
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    public int Length => _length;

    /// <summary>Lets go of the pages touched so far (on Linux and macOS: they stay in the page cache, and come back when
    /// read again), so a map read whole once (its checksum) does not keep counting in the process's memory.</summary>
    public void ReleasePages()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) || Volatile.Read(ref _released) != 0) return;
        try
        {
            var start = (byte*)_view.SafeMemoryMappedViewHandle.DangerousGetHandle();
            _ = Madvise(start, (nuint)(_pointer - start) + (nuint)_length, MadviseDontNeed);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // only memory it would save
    }

    private const int MadviseDontNeed = 4; // MADV_DONTNEED on Linux and macOS

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(byte* address, nuint length, int advice);

    public override Span<byte> GetSpan() => Volatile.Read(ref _released) == 0 ? new(_pointer, _length) : throw new ObjectDisposedException(nameof(MappedFile));

    public override MemoryHandle Pin(int elementIndex = 0) =>
        (uint)elementIndex <= (uint)_length ? new(_pointer + elementIndex) : throw new ArgumentOutOfRangeException(nameof(elementIndex));

    public override void Unpin() { }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        _view.Dispose();
        _file.Dispose();
    }
}
