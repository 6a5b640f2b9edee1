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
}
