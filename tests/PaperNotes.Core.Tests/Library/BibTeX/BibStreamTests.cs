using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>A library read as its bytes stream in (never one string) is exactly the library parsed from its whole text:
/// same keys, spans, papers, errors and line positions, wherever the pieces and compressed blocks are cut.</summary>
public class BibStreamTests
{
    private static LibraryFile Stream(string path, byte[] bytes, int textLength, Random random, int segment, int block)
    {
        // Compressed as read, held in native memory, or held in slabs given (the server's files).
        var parser = random.Next(3) switch
        {
            0 => new BibStreamParser(path, textLength, null, segment, block, 0),
            1 => new BibStreamParser(path, textLength, null, segment, block, CompressingText.MaxBytes),
            _ => new BibStreamParser(path, textLength, null, segment, block, 0, capacity => new Text.CompressingTextTests.OutsideSlab(capacity)),
        };
        for (int i = 0; i < bytes.Length;)
        {
            int n = Math.Min(bytes.Length - i, 1 + random.Next(segment * 2));
            parser.Append(bytes.AsSpan(i, n));
            i += n;
        }
        return parser.Finish();
    }

    private static void AssertSame(string path, string text, int seed)
    {
        var whole = BibParser.Parse(path, text);
        var random = new Random(seed);
        int segment = random.Next(3) switch { 0 => 1 + random.Next(16), 1 => 16 + random.Next(500), _ => 500 + random.Next(20_000) };
        var streamed = Stream(path, Encoding.UTF8.GetBytes(text), text.Length, random, segment, 1 + random.Next(4000));
        Assert.Equal(whole.Papers.Count, streamed.Papers.Count);
        for (int i = 0; i < whole.Papers.Count; i++)
        {
            Assert.Equal(whole.KeyAt(i), streamed.KeyAt(i));
            Assert.Equal(whole.EntrySpanAt(i), streamed.EntrySpanAt(i));
        }
        Assert.Equal(BibLazyTests.Full(whole), BibLazyTests.Full(streamed));
        Assert.Equal(whole.Lines.Length, streamed.Lines.Length);
        foreach (var e in whole.Errors) Assert.Equal(whole.Lines.GetRange(e.Span), streamed.Lines.GetRange(e.Span));
        for (int i = 0; i < whole.Papers.Count; i++)
            Assert.Equal(whole.Lines.GetRange(whole.EntrySpanAt(i)), streamed.Lines.GetRange(whole.EntrySpanAt(i)));
    }

    [Fact]
    public void Every_fixture_bib_file_streamed_in_random_pieces_is_the_file_parsed_whole()
    {
        var files = BibTestSupport.FixtureBibFiles();
        Assert.True(files.Count > 1300);
        int seed = 0;
        foreach (var path in files) AssertSame(path, BibTestSupport.ReadUtf8(path), seed++);
    }

    [Theory]
    [InlineData("@article{a, title = {x\n@book{b, title = {inside}}}}\n@misc{c}")] // a line-initial '@' inside braces
    [InlineData("@article{a, title = {never closed\n@book{b, title = {B}}\n@misc{c, note = {C}}")]
    [InlineData("@article{a, title = \"open quote\n@book{b, title = {B}}")]
    [InlineData("@comment(never closed @book{b, title = {B}}\n@misc{c}")]
    [InlineData("% comment @book{x}\n@book{b, title = {B}}% tail\n  @misc{c}me@example.org @ @misc{d,}")]
    [InlineData("@string{j = \"J\"}\n@string{k = j # \" K\"}@article{a, journal = k, title = j}\r\n@article{b, month = jan}\r")]
    [InlineData("@article{a, author = {Ünïcödé, Ä. and 李, 四}, title = {Ça \\'{e} 😀}}\n@book{b,\n title = {x}\n")]
    [InlineData("@article{a title = {x}}\n@article{, b = c}\n@article{k, = x}\n@article{k2, t x}\n@@article{z}")]
    public void Broken_and_unusual_files_stream_like_the_whole_text(string text)
    {
        for (int seed = 0; seed < 300; seed++) AssertSame("s.bib", text, seed);
    }

    [Fact]
    public void A_byte_order_mark_is_not_text()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("@book{b, title = {B}}")).ToArray();
        var parser = new BibStreamParser("b.bib", bytes.Length);
        parser.Append(bytes.AsSpan(0, 2));
        parser.Append(bytes.AsSpan(2));
        var file = parser.Finish();
        Assert.Equal("b", file.KeyAt(0));
        Assert.Equal(new TextSpan(0, 21), file.EntrySpanAt(0));
        Assert.Equal("B", file.Papers[0].Title);
    }

    [Fact]
    public void A_line_index_built_from_pieces_is_the_index_of_the_whole_text()
    {
        var random = new Random(7);
        for (int round = 0; round < 500; round++)
        {
            var chars = new char[random.Next(60)];
            for (int i = 0; i < chars.Length; i++) chars[i] = "ab\r\n\n "[random.Next(6)];
            var text = new string(chars);
            var builder = new LineIndex.Builder();
            for (int i = 0; i < text.Length;)
            {
                int n = Math.Min(text.Length - i, random.Next(5));
                builder.Append(text.AsSpan(i, n));
                i += n;
            }
            var built = builder.Build();
            var whole = LineIndex.Create(text);
            for (int offset = 0; offset <= text.Length; offset++) Assert.Equal(whole.GetPosition(offset), built.GetPosition(offset));
            for (int line = 0; line < 12; line++)
                for (int column = 0; column < 4; column++)
                    Assert.Equal(whole.GetOffset(new LinePosition(line, column)), built.GetOffset(new LinePosition(line, column)));
        }
    }

    [Fact]
    public void A_compressed_text_gives_back_every_slice()
    {
        var random = new Random(3);
        for (int round = 0; round < 200; round++)
        {
            var sb = new StringBuilder();
            int length = random.Next(3000);
            while (sb.Length < length) sb.Append(random.Next(6) switch { 0 => "\n", 1 => "é", 2 => "😀", 3 => "李", _ => "abc " });
            var text = sb.ToString();
            var builder = new CompressedText.Builder(1 + random.Next(200));
            var bytes = Encoding.UTF8.GetBytes(text);
            for (int i = 0; i < bytes.Length;)
            {
                int n = CompressedText.Builder.CutAt(bytes.AsSpan(i, Math.Min(bytes.Length - i, 1 + random.Next(300))));
                if (n == 0 || i + n > bytes.Length) n = bytes.Length - i;
                builder.Append(bytes.AsSpan(i, n));
                i += n;
            }
            var compressed = builder.Build();
            Assert.Equal(text.Length, compressed.Length);
            for (int k = 0; k < 20 && text.Length > 0; k++)
            {
                int start = random.Next(text.Length), end = start + random.Next(text.Length - start + 1);
                Assert.Equal(text[start..end], compressed.Slice(TextSpan.FromBounds(start, end)));
            }
        }
    }
}
