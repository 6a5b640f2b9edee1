using System.Text;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Tests.Library.BibTeX;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Text;

/// <summary>A first read's text answers from its bytes until it is compressed, then from its compressed blocks: the
/// same text either way, and the bytes are let go of once compressed.</summary>
public class CompressingTextTests
{
    private static (CompressingText Text, TaskCompletionSource Start) Hold(string text, Random random, int blockBytes, int slabBytes = 16 << 20)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new CompressingText.Builder(bytes.Length, slabBytes, ByteSlab.Native);
        for (int i = 0; i < bytes.Length;)
        {
            int n = CompressedText.Builder.CutAt(bytes.AsSpan(i, Math.Min(bytes.Length - i, 1 + random.Next(5_000))));
            if (n == 0) n = bytes.Length - i;
            var piece = bytes.AsSpan(i, n).ToArray();
            Assert.True(builder.TryAppend(piece, n, Encoding.UTF8.GetCharCount(piece)));
            i += n;
        }
        var start = new TaskCompletionSource();
        return (builder.Build(blockBytes, start.Task), start);
    }

    private static void AssertReads(string expected, SourceText text, Random random)
    {
        Assert.Equal(expected.Length, text.Length);
        for (int k = 0; k < 200; k++)
        {
            int start = random.Next(expected.Length + 1), end = Math.Min(expected.Length, start + random.Next(3_000));
            var (window, @base) = text.WindowOver(start, end);
            Assert.True(@base <= start && end <= @base + window.Length);
            Assert.Equal(expected[start..end], window.Substring(start - @base, end - start));
        }
        Assert.Equal(expected, text.Slice(new TextSpan(0, expected.Length)));
    }

    [Fact]
    public async Task Reads_the_same_text_before_and_after_it_is_compressed()
    {
        var random = new Random(5);
        var texts = BibTestSupport.FixtureBibFiles().Where(p => new FileInfo(p).Length >= 50_000).Take(6).Select(BibTestSupport.ReadUtf8)
            .Append("@book{ü, title = {Ça 😀 李四}}\n" + string.Concat(Enumerable.Repeat("é😀x\n", 20_000))).ToList();
        Assert.True(texts.Count > 3);
        foreach (var expected in texts)
        {
            var (text, start) = Hold(expected, random, 1 + random.Next(20_000));
            AssertReads(expected, text, random);
            Assert.False(text.Compressed.IsCompleted);
            Assert.Equal(Encoding.UTF8.GetByteCount(expected), text.RetainedBytes);
            start.SetResult();
            var compressed = await text.Compressed;
            AssertReads(expected, compressed, random);
            AssertReads(expected, text, random);
            Assert.Equal(compressed.RetainedBytes, text.RetainedBytes);
        }
    }

    [Fact]
    public async Task Reads_while_it_is_compressed_and_its_bytes_let_go_of_slab_by_slab_read_the_same_text()
    {
        var random = new Random(7);
        var expected = string.Concat(BibTestSupport.FixtureBibFiles().Where(p => new FileInfo(p).Length >= 50_000).Take(4).Select(BibTestSupport.ReadUtf8));
        for (int round = 0; round < 4; round++)
        {
            // Slabs of a few KB: the blocks compressed so far take over from dozens of them while the readers read.
            var (text, start) = Hold(expected, random, 2_000 + random.Next(8_000), 4_000 + random.Next(20_000));
            var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
            {
                var mine = new Random(round * 10 + r);
                int reads = 0;
                do
                {
                    int from = mine.Next(expected.Length + 1), to = Math.Min(expected.Length, from + mine.Next(6_000));
                    var (window, @base) = text.WindowOver(from, to);
                    Assert.Equal(expected[from..to], window.Substring(from - @base, to - from));
                    reads++;
                }
                while (!text.Compressed.IsCompleted || reads < 100);
                return reads;
            })).ToList();
            start.SetResult();
            await Task.WhenAll(readers);
            Assert.Equal((await text.Compressed).RetainedBytes, text.RetainedBytes);
        }
    }

    /// <summary>A slab as the server's files are: outside the process's memory as far as the text can tell; it tells
    /// whether it was disposed.</summary>
    internal sealed class OutsideSlab(int capacity) : ByteSlab
    {
        private readonly byte[] _bytes = new byte[capacity];
        public bool Disposed { get; private set; }
        public override int Capacity => capacity;
        public override void Write(int offset, byte[] source, int count) => source.AsSpan(0, count).CopyTo(_bytes.AsSpan(offset));

        public override void Read(int offset, byte[] destination, int at, int count)
        {
            Assert.False(Disposed, "a slab read after it was let go of");
            _bytes.AsSpan(offset, count).CopyTo(destination.AsSpan(at));
        }

        public override void Dispose() => Disposed = true;
    }

    [Fact]
    public async Task A_first_read_of_any_length_waits_in_the_slabs_it_is_given_and_lets_go_of_every_one_once_compressed()
    {
        var path = BibTestSupport.FixtureBibFiles().First(p => new FileInfo(p).Length >= 100_000);
        var bytes = Encoding.UTF8.GetBytes(BibTestSupport.ReadUtf8(path));
        var whole = BibParser.Parse(path, Encoding.UTF8.GetString(bytes));
        // As announced: held, then compressed. Announced shorter (a file that grew while it was read): compressed from
        // where it outgrew what was held on, the slabs let go of at once.
        foreach (var (announced, held) in new[] { (bytes.Length, true), (bytes.Length / 2, false) })
        {
            var slabs = new List<OutsideSlab>();
            // Held in native memory up to 0 bytes: only the slabs given make it wait.
            var parser = new BibStreamParser(path, announced, null, 4096, 8192, holdUpTo: 0, spill: capacity =>
            {
                var slab = new OutsideSlab(capacity);
                lock (slabs) slabs.Add(slab);
                return slab;
            });
            for (int i = 0; i < bytes.Length; i += 10_000) parser.Append(bytes.AsSpan(i, Math.Min(10_000, bytes.Length - i)));
            var file = parser.Finish();
            var text = ((LazyBibPapers)file.Papers).Text;
            Assert.Equal(held, text is CompressingText);
            Assert.NotEmpty(slabs);
            Assert.Equal(BibLazyTests.Full(whole), BibLazyTests.Full(file));
            if (text is CompressingText compressing) Assert.Equal(text.Length, (await compressing.Compressed).Length);
            Assert.All(slabs, s => Assert.True(s.Disposed));
            Assert.Equal(BibLazyTests.Full(whole), BibLazyTests.Full(file));
        }
    }

    [Fact]
    public async Task An_empty_text_compresses_to_an_empty_one()
    {
        var text = new CompressingText.Builder(1).Build(64);
        Assert.Equal(0, text.Length);
        Assert.Equal(0, (await text.Compressed).Length);
        Assert.Equal("", text.WindowOver(0, 0).Window);
    }

    [Fact]
    public async Task A_first_read_is_held_then_compressed_and_a_file_longer_than_announced_is_compressed_as_it_is_read()
    {
        var path = BibTestSupport.FixtureBibFiles().First(p => new FileInfo(p).Length >= 100_000);
        var bytes = Encoding.UTF8.GetBytes(BibTestSupport.ReadUtf8(path));
        var whole = BibParser.Parse(path, Encoding.UTF8.GetString(bytes));
        // As announced: held, then compressed. Announced shorter (a file that grew while it was read): compressed from
        // where it outgrew what was held on.
        foreach (var (announced, held) in new[] { (bytes.Length, true), (bytes.Length / 2, false) })
        {
            var parser = new BibStreamParser(path, announced, null, 4096, 8192, CompressingText.MaxBytes);
            for (int i = 0; i < bytes.Length; i += 10_000) parser.Append(bytes.AsSpan(i, Math.Min(10_000, bytes.Length - i)));
            var file = parser.Finish();
            var text = ((LazyBibPapers)file.Papers).Text;
            Assert.Equal(held, text is CompressingText);
            Assert.Equal(BibLazyTests.Full(whole), BibLazyTests.Full(file));
            if (text is CompressingText compressing) Assert.Equal(text.Length, (await compressing.Compressed).Length);
        }
    }
}
