using PaperNotes.Core.Search;

namespace PaperNotes.Core.Tests.Search;

public class TermTableTests
{
    [Fact]
    public void Words_are_numbered_as_first_met_and_keep_their_number()
    {
        // Enough words to grow the table many times, each met again and again, alike words among them.
        var random = new Random(3);
        var table = new TermTable();
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < 200_000; i++)
        {
            var word = random.Next(3) switch
            {
                0 => $"w{random.Next(50_000)}",
                1 => new string('a', random.Next(1, 40)),
                _ => $"{(char)('a' + random.Next(26))}{random.Next(1000)}é",
            };
            if (!expected.ContainsKey(word)) expected[word] = expected.Count;
            Assert.Equal(expected[word], table.IdOf(word.AsSpan()));
        }
        Assert.Equal(expected.Count, table.Terms.Count);
        Assert.Equal(expected.OrderBy(e => e.Value).Select(e => e.Key), table.Terms);
    }
}
