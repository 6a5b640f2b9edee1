using System.Runtime.InteropServices;

namespace PaperNotes.Core.Text;

/// <summary>
/// Where a first read's bytes wait until they are compressed (<see cref="CompressingText"/>): native memory, or a file
/// of the server's (Core does no IO), whose pages are the kernel's page cache rather than the process's memory, so that
/// a library of any size can wait for its compression: the read is done when the scan is, not the compression.
/// Written once, front to back, then read from any thread, then disposed (the bytes are gone).
/// </summary>
public abstract class ByteSlab : IDisposable
{
    /// <summary>How many bytes it can hold.</summary>
    public abstract int Capacity { get; }

    /// <summary>Writes <paramref name="count"/> bytes of <paramref name="source"/> from <paramref name="offset"/> on.</summary>
    public abstract void Write(int offset, byte[] source, int count);

    /// <summary>Reads <paramref name="count"/> bytes from <paramref name="offset"/> on into <paramref name="destination"/> at <paramref name="at"/>.</summary>
    public abstract void Read(int offset, byte[] destination, int at, int count);

    public abstract void Dispose();

    /// <summary>Whether its bytes take memory of the process (not a file's pages, which the kernel may drop).</summary>
    public virtual bool InMemory => false;

    /// <summary>How many bytes it holds (the holder's bookkeeping).</summary>
    internal int Used { get; set; }

    /// <summary>The byte offset in the whole text where its bytes end (the holder's bookkeeping).</summary>
    internal long End { get; set; }

    /// <summary>A slab of native memory, not of the managed heap: freed when disposed (else when collected). Slabs are
    /// bigger than glibc's largest threshold for mapping an allocation (32 MB), so that freeing one unmaps it: memory a
    /// slab never touched costs nothing, and what it held leaves the process at once. Not memory-mapped shared memory:
    /// its page faults made writing a 150 MB library 2-3 times as slow.</summary>
    public static ByteSlab Native(int capacity) => new NativeSlab(capacity);

    private sealed class NativeSlab(int capacity) : ByteSlab
    {
        private readonly NativeMemory _memory = new(capacity);

        public override int Capacity => capacity;

        public override bool InMemory => true;

        public override void Write(int offset, byte[] source, int count) => Marshal.Copy(source, 0, _memory.Address + offset, count);

        public override void Read(int offset, byte[] destination, int at, int count) => Marshal.Copy(_memory.Address + offset, destination, at, count);

        public override void Dispose() => _memory.Dispose();
    }

    private sealed class NativeMemory : Microsoft.Win32.SafeHandles.SafeHandleZeroOrMinusOneIsInvalid
    {
        public NativeMemory(int capacity) : base(ownsHandle: true) => SetHandle(Marshal.AllocHGlobal(capacity));

        public nint Address => handle;

        protected override bool ReleaseHandle()
        {
            Marshal.FreeHGlobal(handle);
            return true;
        }
    }
}
