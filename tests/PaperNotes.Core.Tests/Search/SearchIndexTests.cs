using PaperNotes.Core.Library;
using PaperNotes.Core.Search;

namespace PaperNotes.Core.Tests.Search;

public class SearchIndexTests
{
    private static readonly Paper[] Papers =
    [
        new() { Key = "vaswani2017", Title = "Attention Is All You Need", Authors = [new("Vaswani", "Ashish")], Issued = new(2017),
                Abstract = "The dominant sequence transduction models are based on complex recurrent networks." },
        new() { Key = "understanding2021", Title = "Understanding self-supervised Learning Dynamics without Contrastive Pairs",
                Authors = [new("Tian", "Yuandong")], Issued = new(2021, 2, 12), Abstract = "While contrastive approaches of self-supervised learning..." },
        new() { Key = "chen2020simclr", Title = "A Simple Framework for Contrastive Learning of Visual Representations",
                Authors = [new("Chen", "Ting"), new("Hinton", "Geoffrey")], Issued = new(2020) },
        new() { Key = "attention2099", Title = "Unrelated", Authors = [new("Schölkopf", "Bernhard")], Issued = new(2019) },
        new() { Key = "conformer2020", Title = "Speech recognition", Authors = [new("Gulati", "Anmol")], Issued = new(2020),
                Abstract = "Convolution augmented transformer" },
    ];

    private static string Render(string query, int limit = 10) =>
        string.Join("\n", new SearchIndex(Papers).Search(query, limit).Select(h => $"{h.Paper.Key} {h.Match}"));

    [Fact]
    public void Every_word_of_a_query_must_match_and_abstract_words_count_from_the_index() => Assert.Equal(
        """
        vaswani2017 TitleWord
        """, Render("attention recur")); // "recurrent" is only in the abstract

    [Fact]
    public void A_query_word_in_no_field_of_the_paper_rules_it_out() => Assert.Equal("", Render("attention convolution"));

    [Fact]
    public void Key_prefix_ranks_above_title_words() => Assert.Equal(
        """
        attention2099 KeyPrefix
        vaswani2017 TitleWord
        """, Render("attention"));

    [Fact]
    public void Title_words_match_by_word_start_anywhere_in_the_title() => Assert.Equal(
        """
        understanding2021 TitleWord
        chen2020simclr TitleWord
        """, Render("contrastive"));

    [Fact]
    public void Prefixes_of_words_rank_after_whole_words_and_abstracts_come_last() => Assert.Equal(
        """
        conformer2020 KeyPrefix
        understanding2021 TitlePrefix
        chen2020simclr TitlePrefix
        """, Render("con"));

    [Fact]
    public void Authors_and_years_are_found_accents_folded() => Assert.Equal(
        """
        attention2099 AuthorWord
        """, Render("scholkopf"));

    [Fact]
    public void Year_matches_rank_after_authors_newest_first() => Assert.Equal(
        """
        chen2020simclr Year
        conformer2020 Year
        understanding2021 KeyPrefix
        """, Render("2020") + "\n" + Render("understanding"));

    [Fact]
    public void Several_words_must_all_match() => Assert.Equal(
        "chen2020simclr TitleWord", Render("contrastive hinton"));

    [Fact]
    public void Abstract_words_are_the_weakest_match() => Assert.Equal(
        "conformer2020 AbstractWord", Render("convolution"));

    [Fact]
    public void Limit_cuts_the_list() => Assert.Single(new SearchIndex(Papers).Search("2", 1));

    [Fact]
    public void Nothing_typed_lists_newest_papers() =>
        Assert.Equal("understanding2021", new SearchIndex(Papers).Search("", 5)[0].Paper.Key);

    [Fact]
    public void Empty_index_and_odd_queries_do_not_throw()
    {
        Assert.Empty(new SearchIndex([]).Search("abc", 10));
        Assert.Empty(new SearchIndex(Papers).Search("zzzz", 10));
        new SearchIndex(Papers).Search("{}:/@@", 10);
    }
}

/// <summary>Postings are stored compressed (varint gaps): over random libraries of thousands of papers (ids of one, two
/// and three bytes) every search finds exactly the papers a plain scan of their words finds.</summary>
public class SearchIndexScanAgreementTests
{
    private static readonly string[] Vocabulary =
    [
        "attention", "attend", "graph", "graphical", "neural", "network", "networks", "transformer", "transfer", "learning",
        "learned", "vision", "visual", "speech", "spectral", "quantum", "quantile", "robust", "robot", "reinforcement",
        "zebra", "zeal", "kernel", "kernels", "diffusion", "diffuse", "token", "tokens", "sparse", "sparsity",
    ];

    /// <summary>Papers of words from <see cref="Vocabulary"/>: keys of their own, titles of 1 to
    /// <paramref name="maxTitleWords"/> words, one author, a year, and an abstract for two in three.</summary>
    private static Paper[] RandomPapers(Random random, int n, int maxTitleWords)
    {
        string Words(int count) => string.Join(" ", Enumerable.Range(0, count).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
        return Enumerable.Range(0, n).Select(i => new Paper
        {
            Key = $"k{i}x{random.Next(1000)}",
            Title = Words(1 + random.Next(maxTitleWords)),
            Authors = [new PersonName(Vocabulary[random.Next(Vocabulary.Length)], "Ann")],
            Issued = new PaperDate(1990 + random.Next(35)),
            Abstract = random.Next(3) == 0 ? null : Words(random.Next(12)),
        }).ToArray();
    }

    [Fact]
    public void Every_search_finds_exactly_the_papers_whose_words_match()
    {
        var random = new Random(11);
        for (int round = 0; round < 6; round++)
        {
            int n = 50 + random.Next(round < 3 ? 400 : 20_000);
            var papers = RandomPapers(random, n, maxTitleWords: 4);
            var index = new SearchIndex(papers);
            for (int q = 0; q < 60; q++)
            {
                var words = Enumerable.Range(0, 1 + random.Next(2))
                    .Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).Select(w => w[..(2 + random.Next(w.Length - 1))]).ToList();
                var query = string.Join(" ", words);
                var expected = papers.Where(p => Matches(p, query, words)).Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                var found = index.Search(query, n + 1).Select(h => h.Paper.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                Assert.Equal(expected, found);
            }
        }
    }

    /// <summary>With a limit below the matches, the search gives the first of them in its order (match kind, then newer,
    /// then key), as a scan ranks them. Titles repeat words of one prefix ("transformer transfer"), so a paper is a
    /// candidate of a step more than once: it takes one place, and the step still fills the limit.</summary>
    [Fact]
    public void A_limited_search_gives_the_best_ranked_matches_as_a_scan_does()
    {
        var random = new Random(17);
        for (int round = 0; round < 6; round++)
        {
            int n = 50 + random.Next(round < 3 ? 400 : 5_000);
            var papers = RandomPapers(random, n, maxTitleWords: 6);
            var index = new SearchIndex(papers);
            for (int q = 0; q < 80; q++)
            {
                var word = Vocabulary[random.Next(Vocabulary.Length)];
                var query = word[..(2 + random.Next(word.Length - 1))];
                int limit = 1 + random.Next(40);
                var expected = papers.Select(p => (Paper: p, Kind: BestMatch(p, query))).Where(x => x.Kind is not null)
                    .OrderBy(x => x.Kind).ThenByDescending(x => x.Paper.Issued!.Year).ThenBy(x => x.Paper.Key, StringComparer.Ordinal)
                    .Take(limit).Select(x => $"{x.Paper.Key} {x.Kind}");
                Assert.Equal(expected, index.Search(query, limit).Select(h => $"{h.Paper.Key} {h.Match}"));
            }
        }
    }

    /// <summary>How a one-word query matches a paper at best, by a scan of its words (null: it does not).</summary>
    private static MatchKind? BestMatch(Paper p, string word)
    {
        var key = p.Key.ToLowerInvariant();
        if (key == word) return MatchKind.KeyExact;
        if (key.StartsWith(word, StringComparison.Ordinal)) return MatchKind.KeyPrefix;
        (string[] Words, MatchKind Exact, MatchKind Prefix)[] fields =
        [
            (p.Title!.Split(' '), MatchKind.TitleWord, MatchKind.TitlePrefix),
            (p.Authors[0].Display.ToLowerInvariant().Split(' '), MatchKind.AuthorWord, MatchKind.AuthorPrefix),
            ((p.Abstract ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), MatchKind.AbstractWord, MatchKind.AbstractPrefix),
        ];
        foreach (var (words, exact, prefix) in fields)
        {
            if (words.Contains(word)) return exact;
            if (words.Any(w => w.StartsWith(word, StringComparison.Ordinal))) return prefix;
        }
        return null;
    }

    [Fact]
    public void Nothing_typed_gives_the_newest_papers_then_by_key()
    {
        var random = new Random(5);
        var papers = Enumerable.Range(0, 3000).Select(i => new Paper
        {
            Key = $"k{random.Next(100_000)}x{i}",
            Issued = random.Next(10) == 0 ? null : new PaperDate(1990 + random.Next(35)),
        }).ToArray();
        var expected = papers.OrderByDescending(p => p.Issued?.Year ?? int.MinValue).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(120).Select(p => p.Key);
        var index = new SearchIndex(papers);
        Assert.Equal(expected, index.Search("", 120).Select(h => h.Paper.Key));
        Assert.Equal(3000, index.Search("  ", 5000).Count);
    }

    private static bool Matches(Paper p, string query, List<string> words)
    {
        if (p.Key.StartsWith(query, StringComparison.OrdinalIgnoreCase)) return true;
        var fieldWords = $"{p.Title} {p.Authors[0].Display.ToLowerInvariant()} {p.Issued!.Year} {p.Abstract}".Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.All(w => fieldWords.Any(f => f.StartsWith(w, StringComparison.Ordinal)));
    }
}
