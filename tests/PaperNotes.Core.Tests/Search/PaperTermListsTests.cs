using PaperNotes.Core.Search;

namespace PaperNotes.Core.Tests.Search;

public class PaperTermListsTests
{
    [Fact]
    public void Each_paper_reads_back_as_its_distinct_terms_ascending()
    {
        // Repeats, empty papers, ids past a varint's first bytes, and enough bytes to cross chunks.
        var random = new Random(5);
        var papers = new List<int[]>();
        var lists = new PaperTermLists(0);
        for (int paper = 0; paper < 3000; paper++)
        {
            int max = random.Next(4) switch { 0 => 100, 1 => 20_000, 2 => 3_000_000, _ => int.MaxValue };
            var terms = Enumerable.Range(0, random.Next(0, 120)).Select(_ => random.Next(max)).ToArray();
            if (terms.Length > 3) terms[1] = terms[2] = terms[0];
            papers.Add(terms.Distinct().Order().ToArray());
            lists.Add(terms.ToArray());
        }
        Assert.Equal(papers.Count, lists.Count);
        var reader = lists.Reader();
        foreach (var expected in papers) Assert.Equal(expected, reader.Next().ToArray());
    }
}
