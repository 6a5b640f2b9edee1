using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Text;

public class LineIndexTests
{
    [Theory]
    [InlineData("a\nb", 2, 1, 0)]
    [InlineData("a\r\nbc", 4, 1, 1)]
    [InlineData("a\rb", 2, 1, 0)]
    [InlineData("😀x\ny", 2, 0, 2)]
    [InlineData("abc", 3, 0, 3)]
    public void Offsets_map_to_line_and_utf16_column(string text, int offset, int line, int column)
    {
        var lines = LineIndex.Create(text);
        Assert.Equal(new LinePosition(line, column), lines.GetPosition(offset));
        Assert.Equal(offset, lines.GetOffset(new LinePosition(line, column)));
    }

    [Fact]
    public void Positions_past_the_line_end_clamp_to_the_line_and_unknown_lines_give_null()
    {
        var lines = LineIndex.Create("ab\r\ncd\n");
        Assert.Equal(2, lines.GetOffset(new LinePosition(0, 99)));
        Assert.Equal(6, lines.GetOffset(new LinePosition(1, 99)));
        Assert.Equal(7, lines.GetOffset(new LinePosition(2, 0)));
        Assert.Null(lines.GetOffset(new LinePosition(3, 0)));
        Assert.Null(lines.GetOffset(new LinePosition(-1, 0)));
    }

    [Fact]
    public void Every_line_ends_before_its_own_break_whatever_the_mix_of_breaks()
    {
        // A line's end is kept as its break's length (one bit a line), not as an offset: \n, \r and \r\n mixed,
        // also \n\r (two breaks), and a text built in pieces that split a \r\n give the ends a scan of the text gives.
        var random = new Random(3);
        string[] pieces = ["a", "bc", "\n", "\r", "\r\n", "😀", "\n\r"];
        for (int round = 0; round < 2000; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(80)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = new List<(int Start, int End)>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] is not ('\r' or '\n')) continue;
                expected.Add((start, i));
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                start = i + 1;
            }
            expected.Add((start, text.Length));
            // Told about as many lines as it will have, or none, fewer or more.
            var builder = new LineIndex.Builder(random.Next(4) switch { 0 => 0, 1 => expected.Count - 1, 2 => random.Next(expected.Count), _ => expected.Count + random.Next(40) });
            for (int at = 0; at < text.Length;)
            {
                int n = Math.Min(text.Length - at, 1 + random.Next(5));
                builder.Append(text.AsSpan(at, n));
                at += n;
            }
            foreach (var lines in new[] { LineIndex.Create(text), builder.Build() })
            {
                for (int line = 0; line < expected.Count; line++)
                {
                    Assert.Equal(expected[line].Start, lines.GetOffset(new LinePosition(line, 0)));
                    Assert.Equal(expected[line].End, lines.GetOffset(new LinePosition(line, 1 << 20)));
                }
                Assert.Null(lines.GetOffset(new LinePosition(expected.Count, 0)));
                // What a library image stores, and checks on a warm start.
                Assert.Equal(expected.Count, lines.LineStarts.Length);
                Assert.True(lines.CrlfBits.Length == 0 || lines.CrlfBits.Length == (expected.Count + 31) / 32);
                Assert.NotNull(LineIndex.FromImage(lines.LineStarts, lines.CrlfBits, lines.Length));
            }
        }
    }

    [Fact]
    public void Line_starts_found_in_utf8_pieces_are_those_of_the_text_they_decode_to()
    {
        var random = new Random(17);
        string[] parts = ["a", "bc ", "\n", "\r", "\r\n", "é", "😀", "李", "\n\n", "@article{x,\n", "  title = {T},\r\n"];
        byte[][] invalid = [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x80], [0xFF], [0xED, 0xA0, 0x80]];
        for (int round = 0; round < 2_000; round++)
        {
            var bytes = new List<byte>();
            for (int k = random.Next(60); k > 0; k--)
            {
                if (random.Next(12) == 0) bytes.AddRange(invalid[random.Next(invalid.Length)]);
                else bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(parts[random.Next(parts.Length)]));
            }
            var all = bytes.ToArray();
            var expected = new LineIndex.Builder();
            expected.Append(System.Text.Encoding.UTF8.GetString(all));
            var built = new LineIndex.Builder();
            // Pieces end before a byte that starts a character (or an invalid sequence), never inside one.
            for (int at = 0; at < all.Length;)
            {
                int end = Math.Min(all.Length, at + 1 + random.Next(12));
                while (end < all.Length && (all[end] & 0xC0) == 0x80) end++;
                built.AppendUtf8(all.AsSpan(at, end - at));
                at = end;
            }
            var (e, b) = (expected.Build(), built.Build());
            Assert.Equal(e.Length, b.Length);
            Assert.Equal(e.LineStarts, b.LineStarts);
            Assert.Equal(e.CrlfBits, b.CrlfBits);
        }
    }
}
