using PaperNotes.Core.Features;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Search;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Search;

/// <summary>A hit's title and who-and-when come from the index's labels, without decoding its paper, and are exactly what
/// the paper gives: across label chunks, for papers without a title or authors, with a title too long to keep, and in
/// both layers of an index carried over a rewrite.</summary>
public class HitLabelsTests
{
    private static void AssertLabelsAreThePapers(IEnumerable<SearchHit> hits)
    {
        foreach (var hit in hits)
        {
            Assert.Equal(hit.Paper.Key, hit.Key);
            Assert.Equal(hit.Paper.Title, hit.Title);
            Assert.Equal(PaperMarkdown.Short(hit.Paper), hit.Short);
        }
    }

    [Fact]
    public void Labels_across_chunks_untitled_anonymous_and_too_long_read_as_their_papers()
    {
        // 12,000 papers of ~130 bytes of labels: over a megabyte, so over one chunk.
        var papers = Enumerable.Range(0, 12_000).Select(i => new Paper
        {
            Key = $"k{i}",
            Title = i % 1000 == 3 ? null : i == 5000 ? "Ünïcode " + new string('x', 20_000) : $"Títle {i} of a paper about graph neural networks and their kin",
            Authors = i % 7 == 0 ? [] : [new PersonName("Müller", "Jan"), new PersonName("Roe", "R."), new PersonName("Doe", "J.")],
            Organization = i % 14 == 0 ? "ACME Lab" : null,
            Issued = i % 11 == 0 ? null : new PaperDate(1990 + i % 30),
        }).ToArray();
        var index = new SearchIndex(papers);
        AssertLabelsAreThePapers(index.Search("", 12_000));
        AssertLabelsAreThePapers(index.Search("k5000", 5));
        Assert.Equal(12_000, index.Search("", 12_000).Count);
        // Written in an image and read back: the same labels, chunk by chunk.
        var image = new MemoryStream();
        SearchIndexImage.Write(index, image);
        var read = SearchIndexImage.Read(new MemoryStream(image.ToArray()), papers)!;
        Assert.Equal(index.Search("", 12_000).Select(h => (h.Title, h.Short)), read.Search("", 12_000).Select(h => (h.Title, h.Short)));
    }

    [Fact]
    public void Listing_hits_of_a_lazily_decoded_library_decodes_no_paper_before_and_after_a_rewrite()
    {
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i =>
            $"@article{{k{i}, title = {{Gr\\'aph {i} networks}}, author = {{M{{\\\"u}}ller, J. and Roe, R.}}, year = {2000 + i % 20}}}\n"));
        var file = BibParser.Parse("/w/big.bib", text);
        var set = LibrarySet.Create([file]);
        set.WarmUp();
        var hits = set.Search.Search("graph", 50);
        Assert.Equal(50, hits.Count);
        Assert.Equal(["Gráph 1019 networks", "Müller & Roe · 2019"], new[] { hits[0].Title!, hits[0].Short });
        Assert.Equal(0, ((LazyBibPapers)file.Papers).CountKept());
        // A query's other words are checked against the index too: a pair of words decodes no candidate.
        Assert.Equal(["k1019"], set.Search.Search("networks 1019", 50).Select(h => h.Key));
        Assert.Equal(["k1019"], set.Search.Search("1019 networks", 50).Select(h => h.Key));
        Assert.Empty(set.Search.Search("networks zebra", 50));
        Assert.Equal(0, ((LazyBibPapers)file.Papers).CountKept());
        AssertLabelsAreThePapers(hits);

        // One title changed: the carried-over index reads the unchanged papers' labels from its first layer, the changed
        // one's from its second.
        var rewritten = BibParser.Parse("/w/big.bib", text.Replace("{Gr\\'aph 1019 networks}", "{Graph 1019 renamed}"), file);
        var next = set.With(rewritten);
        next.WarmUp();
        Assert.True(next.Search.IsUpdated);
        var again = next.Search.Search("graph", 50);
        Assert.Equal("Graph 1019 renamed", again[0].Title);
        Assert.Equal(1, ((LazyBibPapers)rewritten.Papers).CountKept()); // the changed paper, decoded to index it
        AssertLabelsAreThePapers(again);
        AssertLabelsAreThePapers(next.Search.Search("", 5000));

        // The carried-over index written as an image (one layer, its labels merged) and read back over a fresh parse of
        // the same text, as a warm start does: its hits decode nothing either.
        var image = new MemoryStream();
        SearchIndexImage.Write(next.Search, image);
        var warmFile = BibParser.Parse("/w/big.bib", text.Replace("{Gr\\'aph 1019 networks}", "{Graph 1019 renamed}"));
        var warm = LibrarySet.Create([warmFile]);
        warm.SearchFrom(() => SearchIndexImage.Read(new MemoryStream(image.ToArray()), warm.Papers));
        var read = warm.Search.Search("graph", 50);
        Assert.True(warm.SearchFromImage);
        Assert.Equal(again.Select(h => (h.Key, h.Title, h.Short)), read.Select(h => (h.Key, h.Title, h.Short)));
        Assert.Equal(0, ((LazyBibPapers)warmFile.Papers).CountKept());
    }
}
