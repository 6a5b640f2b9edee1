using System.IO.Hashing;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Tests;

/// <summary>A file read ahead on a thread of its own reaches its consumer whole and in order, hashed, and stops with
/// the consumer or at the length given.</summary>
public class ReadAheadTests
{
    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 1)]
    [InlineData(3 << 20, 2)]
    [InlineData((7 << 20) + 12345, 3)]
    public void Every_byte_reaches_the_consumer_in_order_and_is_hashed(int length, int seed)
    {
        var bytes = Bytes(length, seed);
        var stream = new MemoryStream(bytes);
        var head = new byte[1 << 20];
        int headCount = stream.Read(head, 0, Math.Min(length, 4096));
        var received = new MemoryStream();
        var (hash, total) = ReadAhead.Read(stream, head, headCount, length, (b, n) => received.Write(b, 0, n));
        Assert.Equal(bytes, received.ToArray());
        Assert.Equal(length, total);
        Assert.Equal(XxHash3.HashToUInt64(bytes), hash);
    }

    [Fact]
    public void A_stream_longer_than_the_length_given_is_read_up_to_it()
    {
        var bytes = Bytes(5 << 20, 4);
        var received = new MemoryStream();
        var (hash, total) = ReadAhead.Read(new MemoryStream(bytes), [], 0, 2 << 20, (b, n) => received.Write(b, 0, n));
        Assert.Equal(2 << 20, total);
        Assert.Equal(bytes[..(2 << 20)], received.ToArray());
        Assert.Equal(XxHash3.HashToUInt64(bytes.AsSpan(0, 2 << 20)), hash);
    }

    [Fact]
    public void A_consumer_that_fails_stops_the_reading_and_its_failure_is_the_one_told()
    {
        var stream = new MemoryStream(Bytes(40 << 20, 5));
        int pieces = 0;
        var e = Assert.Throws<IOException>(() => ReadAhead.Read(stream, [], 0, stream.Length, (_, _) =>
        {
            if (++pieces == 2) throw new IOException("the consumer's");
        }));
        Assert.Equal("the consumer's", e.Message);
        Assert.True(stream.Position < stream.Length, "the whole stream was read after the consumer stopped");
    }

    [Fact]
    public void A_read_that_fails_is_told()
    {
        var e = Assert.Throws<IOException>(() => ReadAhead.Read(new FailingStream(), [], 0, 10 << 20, (_, _) => { }));
        Assert.Equal("the disk's", e.Message);
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => ++_reads < 3 ? buffer.Length : throw new IOException("the disk's");
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
