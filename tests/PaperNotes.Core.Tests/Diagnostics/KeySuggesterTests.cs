using PaperNotes.Core.Diagnostics;

namespace PaperNotes.Core.Tests.Diagnostics;

public class KeySuggesterTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abcdef", "abcdef", 0)]
    [InlineData("abcdef", "abdcef", 1)] // a swap counts once
    [InlineData("understandig2021", "understanding2021", 1)]
    [InlineData("vaswani2017", "vaswani2071", 1)]
    [InlineData("abc", "xyz", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_matches_the_textbook_values(string a, string b, int expected)
    {
        Assert.Equal(expected, KeySuggester.BoundedDistance(a, b, 5));
        Assert.Equal(Math.Min(expected, 2), KeySuggester.BoundedDistance(a, b, 1));
    }

    [Fact]
    public void Banded_distance_agrees_with_the_full_one_on_random_strings()
    {
        var random = new Random(1);
        for (int n = 0; n < 2000; n++)
        {
            string Word() => new(Enumerable.Range(0, random.Next(0, 9)).Select(_ => "abcd"[random.Next(4)]).ToArray());
            string a = Word(), b = Word();
            int full = Full(a, b);
            for (int bound = 0; bound <= 4; bound++)
                Assert.Equal(Math.Min(full, bound + 1), KeySuggester.BoundedDistance(a, b, bound));
        }
    }

    private static int Full(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    [Fact]
    public void Suggests_close_keys_first_then_longer_keys_sharing_the_prefix()
    {
        var suggester = new KeySuggester(["understanding2021", "understanding2022", "vaswani2017", "vaswani2017attention", "chen2020"]);
        Assert.Equal(["understanding2021", "understanding2022"], suggester.Suggest("understandig2021"));
        Assert.Equal(["vaswani2017"], suggester.Suggest("vaswan2017"));
        Assert.Equal(["vaswani2017", "vaswani2017attention"], suggester.Suggest("vaswani"));
        Assert.Empty(suggester.Suggest("zzzzzz"));
    }
}
