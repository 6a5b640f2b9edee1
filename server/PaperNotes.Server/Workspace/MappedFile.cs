using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace PaperNotes.Server.Workspace;

/// <summary>
/// A file mapped read-only into memory, as <see cref="Memory{T}"/>: what a warm start reads a library's image through.
/// The pages of an unchanged image are already in the page cache, so the map costs neither a read nor a copy. The map
/// is released on <see cref="IDisposable.Dispose"/> (or when it is collected: the view's own safe handle unmaps it), once
/// the image is read; the library's text goes on reading the file by position (<see cref="FileChunk"/>), since every
/// page of a map that is read counts in the process's resident memory. Images are replaced by a rename, never
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

    /// <summary>Maps the first <paramref name="length"/> bytes of <paramref name="handle"/>'s file (1 byte to 2 GB: longer
    /// files are not images this server writes); the handle stays the caller's.</summary>
    public static MappedFile Open(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length)
    {
        if (length is <= 0 or > int.MaxValue) throw new InvalidDataException("not an image's length");
        var file = MemoryMappedFile.CreateFromFile(handle, null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
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
