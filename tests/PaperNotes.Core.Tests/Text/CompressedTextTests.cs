using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Tests.Library.BibTeX;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Text;

/// <summary>A compressed text cuts its blocks by content, so a library rewritten with one entry changed cuts the same
/// blocks everywhere else and copies them from the text it replaces: the result is the very text a fresh build gives,
/// byte for byte, with only the blocks near the change compressed again.</summary>
public class CompressedTextTests
{
    // Small blocks, so that a fixture file of a few 100 KB makes many: 16 KB to real fixture entries (~500 bytes) is about
    // what 64 KB is to a reference manager's (~1,500 bytes with abstracts).
    private const int BlockBytes = 16 << 10;

    /// <summary>The biggest fixture libraries (real text, with real entry sizes), 100 KB and more.</summary>
    private static List<string> BigFixtureTexts() =>
        [.. BibTestSupport.FixtureBibFiles().Where(p => new FileInfo(p).Length >= 100_000).OrderByDescending(p => new FileInfo(p).Length)
            .Take(8).Select(BibTestSupport.ReadUtf8)];

    private static CompressedText Build(string text, Random random, CompressedText? replaced = null)
    {
        var builder = new CompressedText.Builder(BlockBytes, replaced);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < bytes.Length;)
        {
            // Pieces end at character boundaries, as the streaming reader cuts them.
            int n = CompressedText.Builder.CutAt(bytes.AsSpan(i, Math.Min(bytes.Length - i, 1 + random.Next(20_000))));
            if (n == 0) n = bytes.Length - i;
            builder.Append(bytes.AsSpan(i, n));
            i += n;
        }
        return builder.Build();
    }

    private static byte[][] StoredBlocks(CompressedText text) =>
        [.. Enumerable.Range(0, text.BlockCount).Select(b =>
        {
            var block = new byte[text.BlockLengths[b]];
            text.Chunks[text.BlockChunks[b]].Read(text.BlockOffsets[b], block);
            return block;
        })];

    /// <summary>Bytes read by position, as the server's chunks of a cache image are: never in memory as far as the text
    /// can tell, and counting the reads.</summary>
    private sealed class ReadChunk(byte[] bytes) : StoredChunk
    {
        public int Reads;
        public override int Length => bytes.Length;

        public override void Read(int offset, Span<byte> destination)
        {
            Interlocked.Increment(ref Reads);
            bytes.AsSpan(offset, destination.Length).CopyTo(destination);
        }
    }

    /// <summary>The text's chunks copied into chunks read by position, and the text moved onto them.</summary>
    private static ReadChunk[] Relocate(CompressedText text)
    {
        var moved = text.Chunks.Select(c =>
        {
            var bytes = new byte[c.Length];
            c.Read(0, bytes);
            return new ReadChunk(bytes);
        }).ToArray();
        text.Relocate(moved);
        return moved;
    }

    [Fact]
    public void A_relocated_text_reads_its_blocks_from_where_it_was_moved_and_holds_none_of_them()
    {
        var text = BigFixtureTexts()[0];
        var compressed = Build(text, new Random(3));
        var before = StoredBlocks(compressed);
        long held = compressed.RetainedBytes;
        var moved = Relocate(compressed);
        Assert.Equal(before, StoredBlocks(compressed));
        Assert.Equal(text, compressed.Slice(new TextSpan(0, text.Length)));
        Assert.True(moved.Sum(c => c.Reads) >= compressed.BlockCount, "the blocks were not read from where they were moved");
        Assert.True(compressed.RetainedBytes < held / 10, $"{compressed.RetainedBytes} bytes held after the move, {held} before");
        Assert.True(compressed.Chunks.All(c => !c.InMemory));
        // Chunks that do not hold the same lengths are not taken.
        Assert.Throws<ArgumentException>(() => compressed.Relocate(moved[1..]));
        Assert.Throws<ArgumentException>(() => compressed.Relocate([.. moved.Select(c => new ReadChunk(new byte[c.Length + 1]))]));
        Assert.Equal(text, compressed.Slice(new TextSpan(0, text.Length)));
    }

    [Fact]
    public void Rewrites_of_a_relocated_text_take_its_blocks_from_where_they_were_moved_and_give_the_text_a_fresh_build_gives()
    {
        var text = BigFixtureTexts()[1];
        var random = new Random(13);
        var compressed = Build(text, random);
        bool compacted = false;
        for (int round = 0; round < 60; round++)
        {
            Relocate(compressed); // as the server does once the image of each version is written
            var rewritten = Rewrite(Rewrite(Rewrite(Rewrite(text, random), random), random), random);
            var carried = Build(rewritten, random, compressed);
            Assert.True(carried.SharedBlocks >= carried.BlockCount - 32, $"{carried.SharedBlocks} of {carried.BlockCount} blocks taken");
            compacted |= carried.Chunks.All(c => c.InMemory); // the blocks still read were copied out of the moved chunks
            Assert.Equal(rewritten, carried.Slice(new TextSpan(0, rewritten.Length)));
            if (round % 10 == 0) AssertSameText(Build(rewritten, random), carried);
            (text, compressed) = (rewritten, carried);
        }
        Assert.True(compacted, "no rewrite ever copied blocks out of chunks read by position");
    }

    private static void AssertSameText(CompressedText expected, CompressedText actual)
    {
        Assert.Equal(expected.CharStarts, actual.CharStarts);
        Assert.Equal(expected.BlockHashes, actual.BlockHashes);
        Assert.Equal(StoredBlocks(expected), StoredBlocks(actual));
    }

    [Fact]
    public void Blocks_are_cut_by_content_wherever_the_pieces_end()
    {
        var texts = BigFixtureTexts();
        Assert.True(texts.Count >= 5);
        int seed = 0;
        foreach (var text in texts)
        {
            var one = Build(text, new Random(seed++));
            var other = Build(text, new Random(seed++));
            AssertSameText(one, other);
            Assert.Equal(text, one.Slice(new TextSpan(0, text.Length)));
            Assert.True(one.BlockCount > text.Length / (3 * BlockBytes), $"{one.BlockCount} blocks for {text.Length} characters");
        }
    }

    /// <summary>One change of the kind a reference manager's rewrite makes: a field edited, an entry removed, added
    /// elsewhere, or moved.</summary>
    private static string Rewrite(string text, Random random)
    {
        var starts = new List<int>();
        for (int at = text.IndexOf("\n@", StringComparison.Ordinal); at >= 0; at = text.IndexOf("\n@", at + 1, StringComparison.Ordinal)) starts.Add(at + 1);
        int k = random.Next(starts.Count - 1);
        var entry = text[starts[k]..starts[k + 1]];
        return random.Next(4) switch
        {
            0 => text.Insert(starts[k] + random.Next(entry.Length), "changed "),
            1 => text.Remove(starts[k], entry.Length),
            2 => text.Insert(starts[random.Next(starts.Count)], entry),
            _ => text.Remove(starts[k], entry.Length).Insert(starts[random.Next(k + 1)], entry),
        };
    }

    [Fact]
    public void A_rewrite_copies_every_block_away_from_the_change_and_gives_the_text_a_fresh_build_gives()
    {
        var random = new Random(7);
        int blocks = 0, shared = 0;
        foreach (var original in BigFixtureTexts())
        {
            var text = original;
            var compressed = Build(text, random);
            for (int round = 0; round < 6; round++)
            {
                var rewritten = Rewrite(text, random);
                var carried = Build(rewritten, random, compressed);
                AssertSameText(Build(rewritten, random), carried);
                Assert.Equal(rewritten, carried.Slice(new TextSpan(0, rewritten.Length)));
                // A moved entry changes two places; each change touches a block or two until the cuts agree again.
                Assert.True(carried.SharedBlocks >= carried.BlockCount - 8, $"{carried.SharedBlocks} of {carried.BlockCount} blocks copied");
                blocks += carried.BlockCount;
                shared += carried.SharedBlocks;
                (text, compressed) = (rewritten, carried);
            }
        }
        Assert.True(shared > 0.95 * blocks, $"{shared} of {blocks} blocks copied");
    }

    [Fact]
    public void A_rewrite_holds_the_replaced_chunks_as_they_are_and_never_more_than_twice_its_blocks()
    {
        var text = BigFixtureTexts()[0];
        var random = new Random(11);
        var compressed = Build(text, random);
        bool compacted = false;
        long held = Held(compressed);
        for (int round = 0; round < 100; round++)
        {
            // A few changes a round, so that the replaced chunks fill with blocks no longer read within the test.
            var rewritten = Rewrite(Rewrite(Rewrite(Rewrite(text, random), random), random), random);
            var carried = Build(rewritten, random, compressed);
            if (round == 0) // the replaced text's memory itself, not a copy of it
                Assert.Contains(carried.Chunks, c => compressed.Chunks.Any(o => o.Equals(c)));
            long blocks = carried.BlockLengths.Sum(b => (long)b);
            Assert.True(Held(carried) <= 2 * blocks, $"round {round}: {Held(carried)} bytes held for {blocks} of blocks");
            compacted |= Held(carried) < held; // the replaced chunks gave way to copies of the blocks still read
            held = Held(carried);
            Assert.Equal(rewritten, carried.Slice(new TextSpan(0, rewritten.Length)));
            if (round % 25 == 0) AssertSameText(Build(rewritten, random), carried);
            (text, compressed) = (rewritten, carried);
        }
        Assert.True(compacted, "no rewrite ever copied the blocks out of chunks mostly not read any more");
    }

    private static long Held(CompressedText text) => text.Chunks.Sum(c => (long)c.Length);

    [Fact]
    public void A_streamed_library_rewritten_with_one_title_changed_copies_its_blocks_and_reads_as_a_fresh_parse()
    {
        var sb = new StringBuilder("@string{jmlr = {Journal of Machine Learning Research}}\n");
        for (int i = 0; i < 3000; i++)
            sb.Append($"@article{{k{i}, title = {{T\\'itle {i}}}, author = {{M{{\\\"u}}ller, J. and Roe, R.}}, journal = jmlr, year = {2000 + i % 20},\n  abstract = {{{string.Concat(Enumerable.Repeat($"Words of paper {i}. ", 20))}}}}}\n");
        var text = sb.ToString();
        var after = text.Replace("{T\\'itle 1500}", "{Changed title}");
        var before = Streamed(text, null);
        var reloaded = Streamed(after, before);
        var carried = (CompressedText)((LazyBibPapers)reloaded.Papers).Text;
        Assert.True(carried.SharedBlocks >= carried.BlockCount - 2, $"{carried.SharedBlocks} of {carried.BlockCount} blocks copied");
        Assert.True(carried.BlockCount > 50);
        Assert.Equal(BibLazyTests.Full(BibParser.Parse("/w/big.bib", after)), BibLazyTests.Full(reloaded));
        Assert.Equal("Changed title", reloaded.Papers[1500].Title);
        Assert.StartsWith("Words of paper 2999.", reloaded.Papers[2999].Abstract);
    }

    private static LibraryFile Streamed(string text, LibraryFile? previous)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var parser = new BibStreamParser("/w/big.bib", bytes.Length, previous, 64 << 10, BlockBytes, CompressingText.MaxBytes);
        for (int i = 0; i < bytes.Length; i += 100_000) parser.Append(bytes.AsSpan(i, Math.Min(100_000, bytes.Length - i)));
        return parser.Finish();
    }
}
