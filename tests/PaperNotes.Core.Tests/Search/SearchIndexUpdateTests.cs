using System.Text;
using System.Text.RegularExpressions;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Search;
using PaperNotes.Core.Workspace;
using Xunit;

namespace PaperNotes.Core.Tests.Search;

/// <summary>A library set's search index carried over to a rewritten library (only the changed papers tokenized again)
/// answers every search exactly as an index built over a fresh parse of the new files does, on random rewrites of real
/// libraries: titles and abstracts changed, entries removed, added, moved and duplicated, a file removed.</summary>
public class SearchIndexUpdateTests
{
    private const string Main = "/w/a-axiom.bib", Second = "/w/b-printing.bib", Eager = "/w/c-ernst.bib";

    private static string Real(string relative) => File.ReadAllText(Repo.Shared(relative));

    private static byte[] Image(SearchIndex index)
    {
        var stream = new MemoryStream();
        SearchIndexImage.Write(index, stream);
        return stream.ToArray();
    }

    /// <summary>Every search's answer, in order, as "key match" lines.</summary>
    private static string Answers(SearchIndex index, IEnumerable<string> queries, int limit) =>
        string.Join("\n", queries.Select(q => $"{q}: " + string.Join(" ", index.Search(q, limit).Select(h => $"{h.Paper.Key}/{h.Match}"))));

    private static List<string> Queries(IReadOnlyList<Paper> papers, Random random)
    {
        var queries = new List<string> { "", "a", "th", "19", "200", "zebra", "quokka", "zebra quo" };
        for (int i = 0; i < 40; i++)
        {
            var paper = papers[random.Next(papers.Count)];
            var words = $"{paper.Title} {string.Join(" ", paper.Authors.Select(a => a.Display))} {paper.Abstract}"
                .Split([' ', ',', '.', '{', '}', '(', ')', ':'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            var word = words[random.Next(words.Length)].ToLowerInvariant();
            queries.Add(word);
            queries.Add(word[..Math.Max(1, word.Length / 2)]);
            queries.Add($"{word} {words[random.Next(words.Length)].ToLowerInvariant()}");
            queries.Add(paper.Key[..Math.Max(1, paper.Key.Length * 2 / 3)].ToLowerInvariant());
        }
        return queries;
    }

    /// <summary>The entries of a BibTeX text: each from an '@' at a line's start to the next.</summary>
    private static List<string> Entries(string text) =>
        [.. Regex.Split(text, @"(?=^@)", RegexOptions.Multiline).Where(e => e.Length > 0)];

    private static string Rewrite(string text, Random random, int round)
    {
        var entries = Entries(text);
        int changes = 1 + random.Next(4);
        for (int c = 0; c < changes; c++)
        {
            int at = random.Next(entries.Count);
            var entry = entries[at];
            // Reference managers write their @strings once, first; a changed one means every entry after it may read
            // differently, so nothing is carried over (BibReuseTests), which is not what this test is about.
            if (entry.StartsWith("@string", StringComparison.OrdinalIgnoreCase)) { c--; continue; }
            switch (random.Next(6))
            {
                case 0: // a title changed, as in a reference manager
                    entries[at] = Regex.Replace(entry, @"(title\s*=\s*[{""])", $"$1Zebra{round} ", RegexOptions.IgnoreCase);
                    break;
                case 1: // an abstract added or changed
                    entries[at] = Regex.Replace(entry, @"^(@\w+\s*[{(][^,]*,)", $"$1\n  abstract = {{Quokka{round} habitats of the {c} kind}},", RegexOptions.Multiline);
                    break;
                case 2: // an entry removed
                    if (entries.Count > 10) entries.RemoveAt(at);
                    break;
                case 3: // a new entry
                    entries.Insert(at, $"@article{{new{round}x{c}, title = {{Zebra{round} crossings and quokka{c} lanes}}, author = {{Newman, Ann}}, year = {2000 + c}}}\n");
                    break;
                case 4: // an entry moved
                    entries.RemoveAt(at);
                    entries.Insert(random.Next(entries.Count + 1), entry);
                    break;
                default: // nothing visible: a space in the text (the entry's text changed, its paper did not)
                    entries[at] = entry.Replace(",", " ,", StringComparison.Ordinal);
                    break;
            }
        }
        return string.Concat(entries);
    }

    [Fact]
    public void A_carried_over_index_answers_as_one_built_over_a_fresh_parse()
    {
        var random = new Random(20261127);
        var main = Real("fixtures/debian-bib/axiom-doc/axiom.bib");
        // The second file repeats some of the first's entries: which definition wins moves as the first changes.
        var second = Real("fixtures/debian-bib/texlive-bibtex-extra/beebe/printing-history.bib") + string.Concat(Entries(main).Where((_, i) => i % 97 == 5));
        // A file with crossrefs is decoded at once, without tracking what it reused: all of it is indexed again.
        var eager = Real("data/plume-bib/ernst.bib");
        var set = LibrarySet.Create([BibParser.Parse(Main, main), BibParser.Parse(Second, second), BibParser.Parse(Eager, eager)]);
        set.WarmUp();
        int updated = 0;
        for (int round = 0; round < 12; round++)
        {
            var (path, text) = (round % 6) switch
            {
                5 => (Eager, eager = Rewrite(eager, random, round)),
                2 or 4 => (Second, second = Rewrite(second, random, round)),
                _ => (Main, main = Rewrite(main, random, round)),
            };
            var next = set.With(BibParser.Parse(path, text, set.Files[path]));
            next.WarmUp();
            if (next.Search.IsUpdated) updated++;
            var fresh = LibrarySet.Create([BibParser.Parse(Main, main), BibParser.Parse(Second, second), BibParser.Parse(Eager, eager)]);
            var queries = Queries(fresh.Papers, random);
            Assert.Equal(Answers(new SearchIndex(fresh.Papers), queries, 15), Answers(next.Search, queries, 15));
            Assert.Equal(Answers(new SearchIndex(fresh.Papers), queries, 5000), Answers(next.Search, queries, 5000));
            // What a hit shows comes from either layer's labels: the paper's own title and who-and-when.
            foreach (var hit in queries.SelectMany(q => next.Search.Search(q, 50)))
                Assert.Equal((hit.Paper.Key, hit.Paper.Title, PaperNotes.Core.Features.PaperMarkdown.Short(hit.Paper)), (hit.Key, hit.Title, hit.Short));
            // Its image is the one layer a build would give: the very bytes.
            Assert.Equal(Image(new SearchIndex(fresh.Papers)), Image(next.Search));
            set = next;
        }
        Assert.Equal(12, updated);

        var without = set.Without(Second);
        without.WarmUp();
        Assert.True(without.Search.IsUpdated);
        var alone = LibrarySet.Create([BibParser.Parse(Main, main), BibParser.Parse(Eager, eager)]);
        var last = Queries(alone.Papers, random);
        Assert.Equal(Answers(new SearchIndex(alone.Papers), last, 50), Answers(without.Search, last, 50));
    }

    private static string Numbered(int papers, Func<int, string> title)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < papers; i++) sb.Append($"@misc{{key{i}, title = {{{title(i)}}}, year = {1990 + i % 30}}}\n");
        return sb.ToString();
    }

    [Fact]
    public void One_changed_title_is_the_only_paper_indexed_again()
    {
        var before = LibrarySet.Create([BibParser.Parse("/w/refs.bib", Numbered(2_000, i => $"Paper number {i}"))]);
        before.WarmUp();
        var after = before.With(BibParser.Parse("/w/refs.bib", Numbered(2_000, i => i == 7 ? "Quokka habitats" : $"Paper number {i}"), before.Files["/w/refs.bib"]));
        after.WarmUp();
        Assert.True(after.Search.IsUpdated);
        Assert.Equal("key7", Assert.Single(after.Search.Search("quokka", 10)).Paper.Key);
        Assert.DoesNotContain(after.Search.Search("number", 3000), h => h.Paper.Key == "key7");
        Assert.Equal(1999, after.Search.Search("number", 3000).Count);
    }

    [Fact]
    public void When_most_papers_changed_the_index_is_built_anew()
    {
        var before = LibrarySet.Create([BibParser.Parse("/w/refs.bib", Numbered(3_000, i => $"Paper number {i}"))]);
        before.WarmUp();
        var after = before.With(BibParser.Parse("/w/refs.bib", Numbered(3_000, i => $"{(i % 2 == 0 ? "Changed" : "Paper")} number {i}"), before.Files["/w/refs.bib"]));
        after.WarmUp();
        Assert.False(after.Search.IsUpdated);
        Assert.Equal(1_500, after.Search.Search("changed", 5000).Count);
    }
}
