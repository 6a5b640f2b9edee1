using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>Passes over every paper of a lazily decoded library (its errors, the search index's build, enumerating it)
/// keep no paper they decode, and give what decoding and keeping everything gives; a rewritten library learns its errors
/// by decoding only the entries that changed (or had errors).</summary>
public class BibPassTests
{
    /// <summary>A library of <paramref name="papers"/> entries with an abstract each; every 50th has a name with too many
    /// commas (an error only decoding finds).</summary>
    private static string Library(int papers, Func<int, string>? title = null)
    {
        var sb = new StringBuilder("@string{jmlr = {Journal of Machine Learning Research}}\n");
        for (int i = 0; i < papers; i++)
            sb.Append($"@article{{k{i}, title = {{{(title ?? (j => $"T\\'itle {j}"))(i)}}}, author = {{{(i % 50 == 7 ? "A, B, C, D" : "M{\\\"u}ller, J. and Roe, R.")}}}, ")
              .Append($"journal = jmlr, year = {2000 + i % 20}, abstract = {{Abstract of paper {i}.}}}}\n");
        return sb.ToString();
    }

    private static LazyBibPapers Lazy(LibraryFile file) => (LazyBibPapers)file.Papers;

    [Fact]
    public void Errors_the_search_index_and_enumerating_keep_no_paper_and_read_as_a_fresh_eager_parse()
    {
        var text = Library(6000);
        var file = BibParser.Parse("/w/big.bib", text);
        Assert.Equal(120, file.Errors.Count);
        Assert.Equal(0, Lazy(file).CountKept());
        var set = LibrarySet.Create([file]);
        set.WarmUp();
        var hits = set.Search.Search("title", 50);
        Assert.Equal(50, hits.Count);
        Assert.Equal(0, Lazy(file).CountKept()); // what a hit shows is in the index
        Assert.Equal("k1019", hits[0].Paper.Key);
        Assert.Equal(1, Lazy(file).CountKept());
        Assert.Equal(BibLazyTests.Full(BibParser.ParseEager("/w/big.bib", text)), BibLazyTests.Full(file));
        Assert.Equal(1, Lazy(file).CountKept());
        // A paper read by index is kept, and a pass hands out that same paper.
        var kept = file.Papers[4321];
        Assert.Same(kept, file.Papers.ElementAt(4321));
    }

    [Fact]
    public void A_rewrite_learns_its_errors_by_decoding_the_changed_entries_and_those_with_errors()
    {
        var before = BibParser.Parse("/w/big.bib", Library(6000));
        _ = before.Errors.Count;
        var text = Library(6000, i => i is 10 or 4000 ? $"Changed {i}" : $"T\\'itle {i}");
        var after = BibParser.Parse("/w/big.bib", text, before);
        Assert.Equal(BibLazyTests.Full(BibParser.ParseEager("/w/big.bib", text)).Split("\nerror ", 2)[1], Errors(after));
        Assert.Equal(2 + 120, Lazy(after).Decodes); // the two changed, and the 120 with an error (to report it here too)
        Assert.Equal(0, Lazy(after).CountKept());
        // Which entries are unchanged is known without decoding: the search index is carried over for them.
        Assert.Equal([0, 9, -1, 11], new[] { 0, 9, 10, 11 }.Select(i => after.UnchangedFrom(before, i)));

        static string Errors(LibraryFile file) => string.Join("\nerror ", file.Errors.Select(e => $"{e.Span} {e.Message}")) + "\n";
    }

    [Fact]
    public void A_rewrite_of_a_file_whose_errors_were_never_learned_decodes_every_entry_for_them()
    {
        var before = BibParser.Parse("/w/big.bib", Library(500));
        var after = BibParser.Parse("/w/big.bib", Library(500), before);
        Assert.Equal(10, after.Errors.Count);
        Assert.Equal(500, Lazy(after).Decodes);
    }
}
