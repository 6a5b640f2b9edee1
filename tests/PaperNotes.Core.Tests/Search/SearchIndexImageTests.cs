using PaperNotes.Core.Library;
using PaperNotes.Core.Search;

namespace PaperNotes.Core.Tests.Search;

/// <summary>A search index written as an image and read back over the same papers (the warm start) answers every
/// search exactly as the index it was; damaged bytes read as no index, never one that reads outside its arrays.</summary>
public class SearchIndexImageTests
{
    private static readonly string[] Vocabulary =
    [
        "attention", "attend", "graph", "graphical", "neural", "network", "transformer", "transfer", "learning", "vision",
        "visual", "speech", "spectral", "quantum", "robust", "robot", "zebra", "kernel", "diffusion", "token", "sparse", "über",
    ];

    private static Paper[] Library(Random random, int n)
    {
        string Words(int count) => string.Join(" ", Enumerable.Range(0, count).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
        return Enumerable.Range(0, n).Select(i => new Paper
        {
            Key = $"k{i}x{random.Next(1000)}",
            Title = Words(1 + random.Next(4)),
            Authors = [new PersonName(Vocabulary[random.Next(Vocabulary.Length)], "Ann")],
            Issued = random.Next(5) == 0 ? null : new PaperDate(1990 + random.Next(35)),
            Abstract = random.Next(3) == 0 ? null : Words(random.Next(40)),
        }).ToArray();
    }

    private static byte[] ImageOf(SearchIndex index)
    {
        using var stream = new MemoryStream();
        SearchIndexImage.Write(index, stream);
        return stream.ToArray();
    }

    private static string Answers(SearchIndex index, string query, int limit) =>
        string.Join(",", index.Search(query, limit).Select(h => $"{h.Paper.Key}:{h.Match}"));

    /// <summary>The answers with what each hit shows, read from the index's labels.</summary>
    private static string Shown(SearchIndex index, string query, int limit) =>
        string.Join("\n", index.Search(query, limit).Select(h => $"{h.Key}|{h.Title}|{h.Short}"));

    [Fact]
    public void An_index_read_back_answers_every_search_as_the_index_it_was()
    {
        var random = new Random(3);
        foreach (int n in new[] { 0, 1, 37, 2_000, 20_000 })
        {
            var papers = Library(random, n);
            // A title too long to keep among the labels: its hit reads the paper, before and after.
            if (n > 0) papers[n / 2] = papers[n / 2] with { Title = "long " + new string('x', 20_000) };
            var built = new SearchIndex(papers);
            var read = SearchIndexImage.Read(new MemoryStream(ImageOf(built)), papers);
            Assert.NotNull(read);
            Assert.Equal(n, read!.Count);
            foreach (var query in new[] { "", "k1", "att", "attention graph", "über", "2001", "zebra rob", "nothing" }
                .Concat(Enumerable.Range(0, 40).Select(_ => Vocabulary[random.Next(Vocabulary.Length)][..2])))
                foreach (int limit in new[] { 1, 10, 1000 })
                {
                    Assert.Equal(Answers(built, query, limit), Answers(read, query, limit));
                    Assert.Equal(Shown(built, query, limit), Shown(read, query, limit));
                }
            // What a hit shows is the paper's, whichever index it comes from.
            foreach (var hit in read.Search("", n))
                Assert.Equal((hit.Paper.Title, PaperNotes.Core.Features.PaperMarkdown.Short(hit.Paper)), (hit.Title, hit.Short));
        }
    }

    [Fact]
    public void An_image_over_another_number_of_papers_is_not_read()
    {
        var papers = Library(new Random(4), 100);
        var image = ImageOf(new SearchIndex(papers));
        Assert.Null(SearchIndexImage.Read(new MemoryStream(image), papers[..99]));
    }

    [Fact]
    public void Truncated_or_damaged_images_read_as_no_index_or_one_that_stays_inside_its_arrays()
    {
        var random = new Random(5);
        var papers = Library(random, 300);
        var image = ImageOf(new SearchIndex(papers));
        for (int cut = 0; cut < image.Length; cut += 1 + cut / 30)
            Assert.Null(SearchIndexImage.Read(new MemoryStream(image[..cut]), papers));
        for (int round = 0; round < 1000; round++)
        {
            var damaged = (byte[])image.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            // A flipped bit may leave a well-formed index (a term's letter, a rank): it must still answer without failing.
            if (SearchIndexImage.Read(new MemoryStream(damaged), papers) is { } read)
                foreach (var query in new[] { "", "a", "att", "k1", "graph net", "2001" }) _ = Shown(read, query, 50);
        }
    }

    [Fact]
    public void A_library_set_reads_its_index_from_the_image_once_and_builds_when_it_gives_none_or_another()
    {
        var papers = Library(new Random(6), 200);
        PaperNotes.Core.Workspace.LibrarySet Set() =>
            PaperNotes.Core.Workspace.LibrarySet.Create([new LibraryFile("a.bib", papers, [], PaperNotes.Core.Text.LineIndex.Create(""))]);
        var built = new SearchIndex(papers);
        var image = SearchIndexImage.Read(new MemoryStream(ImageOf(built)), papers)!;

        int reads = 0;
        var warm = Set();
        warm.SearchFrom(() => { reads++; return image; });
        Assert.Same(image, warm.Search);
        Assert.Same(image, warm.Search);
        Assert.Equal(1, reads);
        Assert.True(warm.SearchFromImage);

        var none = Set();
        none.SearchFrom(() => null);
        Assert.Equal(Answers(built, "att", 50), Answers(none.Search, "att", 50));
        Assert.False(none.SearchFromImage);

        var other = Set();
        other.SearchFrom(() => new SearchIndex(papers[..10]));
        Assert.Equal(200, other.Search.Count);
        Assert.False(other.SearchFromImage);
    }
}
