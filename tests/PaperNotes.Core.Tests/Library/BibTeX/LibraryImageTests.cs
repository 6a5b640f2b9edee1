using PaperNotes.Core.Text;
using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>A streamed library written as an image and read back (the warm start) is the library it was: same keys,
/// spans, papers, abstracts, errors and line positions; damaged bytes read as no library, never as a wrong one.</summary>
public class LibraryImageTests
{
    private static LibraryFile Streamed(string path, string text, int block)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var parser = new BibStreamParser(path, bytes.Length, null, 4096, block, block % 2 == 0 ? 0 : CompressingText.MaxBytes);
        parser.Append(bytes);
        return parser.Finish();
    }

    private static byte[] ImageOf(LibraryFile file)
    {
        using var stream = new MemoryStream();
        LibraryImage.Write(file, stream);
        return stream.ToArray();
    }

    private static void AssertSame(LibraryFile expected, LibraryFile actual)
    {
        Assert.Equal(expected.Papers.Count, actual.Papers.Count);
        for (int i = 0; i < expected.Papers.Count; i++)
        {
            Assert.Equal(expected.KeyAt(i), actual.KeyAt(i));
            Assert.Equal(expected.KeySpanAt(i), actual.KeySpanAt(i));
            Assert.Equal(expected.EntrySpanAt(i), actual.EntrySpanAt(i));
            Assert.Equal(expected.Lines.GetRange(expected.EntrySpanAt(i)), actual.Lines.GetRange(actual.EntrySpanAt(i)));
        }
        // The scan's entry hashes too: a reload after a warm start tells its unchanged entries by them.
        Assert.Equal(Hashes(expected), Hashes(actual));
        Assert.Equal(BibLazyTests.Full(expected), BibLazyTests.Full(actual));
        Assert.Equal(expected.Papers.Select(p => p.Abstract), actual.Papers.Select(p => p.Abstract));
        Assert.Equal(expected.Lines.Length, actual.Lines.Length);
    }

    private static ulong[] Hashes(LibraryFile file) => [.. ((LazyBibPapers)file.Papers).Entries.Select(e => e.Hash)];

    [Fact]
    public void Every_fixture_library_read_back_from_its_image_is_the_library_streamed()
    {
        int written = 0, seed = 0;
        foreach (var path in BibTestSupport.FixtureBibFiles())
        {
            var text = BibTestSupport.ReadUtf8(path);
            var random = new Random(seed++);
            var file = Streamed(path, text, 1 + random.Next(4000));
            if (!LibraryImage.CanWrite(file)) continue; // entries that inherit are decoded at once: nothing to save
            var image = ImageOf(file);
            var read = LibraryImage.Read(new MemoryStream(image), path);
            Assert.NotNull(read);
            AssertSame(Streamed(path, text, 64 << 10), read!);
            // Scanned in 4 KB windows or whole, each entry's hash is that of its text.
            if (BibParser.Parse(path, text).Papers is LazyBibPapers whole)
                Assert.Equal([.. whole.Entries.Select(e => System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan(e.EntrySpan.Start, e.EntrySpan.Length))))], Hashes(read!));
            written++;
        }
        Assert.True(written > 1000, $"only {written} fixture files have an image");
    }

    [Fact]
    public void Macros_and_their_budget_come_back_with_the_image()
    {
        var text = "@string{j = \"Journal\"}\n@string{k = j # \" of K\"}\n@article{a, journal = k, month = mar, title = {T}}\n"
            + "@string{j = \"Later\"}\n@article{b, journal = j, abstract = {An \\emph{abstract}}}\n@book{c, title = {Broken\n";
        var file = Streamed("m.bib", text, 16);
        var read = LibraryImage.Read(new MemoryStream(ImageOf(file)), "m.bib")!;
        AssertSame(Streamed("m.bib", text, 16), read);
        Assert.Equal("Journal of K", read.Papers[0].ContainerTitle);
        Assert.Equal("Later", read.Papers[1].ContainerTitle);
        Assert.Equal("An abstract", read.Papers[1].Abstract);
        // The preview and export read entries from the file's own text: a warm-started file has it too.
        Assert.Equal(PaperNotes.Core.Library.Csl.CslJson.Write(PaperNotes.Core.Library.Csl.LibraryCslItems.Of(file)),
            PaperNotes.Core.Library.Csl.CslJson.Write(PaperNotes.Core.Library.Csl.LibraryCslItems.Of(read)));
        Assert.Contains("Journal of K", PaperNotes.Core.Library.Csl.CslJson.Write(PaperNotes.Core.Library.Csl.LibraryCslItems.Of(read)));
    }

    [Fact]
    public void A_truncated_image_reads_as_no_library()
    {
        var image = ImageOf(Streamed("t.bib", DiskLoaderLibrary, 32));
        for (int cut = 0; cut < image.Length; cut += 1 + cut / 50)
            Assert.Null(LibraryImage.Read(new MemoryStream(image[..cut]), "t.bib"));
    }

    [Fact]
    public void An_image_of_another_format_version_is_not_read()
    {
        var image = ImageOf(Streamed("v.bib", DiskLoaderLibrary, 32));
        BitConverter.TryWriteBytes(image.AsSpan(0, 4), LibraryImage.FormatVersion + 1);
        Assert.Null(LibraryImage.Read(new MemoryStream(image), "v.bib"));
    }

    [Fact]
    public void Damaged_counts_and_spans_read_as_no_library_without_a_huge_allocation()
    {
        var image = ImageOf(Streamed("d.bib", DiskLoaderLibrary, 32));
        var random = new Random(11);
        for (int round = 0; round < 2000; round++)
        {
            var damaged = (byte[])image.Clone();
            int at = 4 + random.Next(damaged.Length - 4);
            damaged[at] = (byte)(random.Next(2) == 0 ? 0xFF : damaged[at] ^ (1 << random.Next(8)));
            // Either no library, or (a flipped bit inside text or a message) a library of the same shape: never a crash.
            var read = LibraryImage.Read(new MemoryStream(damaged), "d.bib");
            if (read is not null) Assert.True(read.Papers.Count <= 10);
        }
    }

    private const string DiskLoaderLibrary = "@string{j = \"Journal\"}\r\n% comment\r\n@article{a, title = {Ça \\'{e}tude}, journal = j,\r\n"
        + "  abstract = {Long \\emph{abstract} with \"quotes\" and 😀},\r\n  author = {Müller, Jörg and 李, 四}}\r\n"
        + "@book{b, title = {Broken, author = {X}}\n@misc{c, note = {after the break}}\n";
}
