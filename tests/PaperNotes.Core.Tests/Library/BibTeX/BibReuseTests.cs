using PaperNotes.Core.Text;
using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>A rewritten library file reuses the decoded papers of the entries that did not change, and gives exactly
/// the papers and errors a fresh parse gives, whatever changed: an entry, its place, a macro, the macros' order.</summary>
public class BibReuseTests
{
    private static LibraryFile Decoded(string path, string text, LibraryFile? previous = null)
    {
        var file = BibParser.Parse(path, text, previous);
        _ = file.Papers.Count > 0 ? file.Papers[^1] : null;
        for (int i = 0; i < file.Papers.Count; i++) _ = file.Papers[i]; // decodes and keeps everything (a pass keeps nothing)
        return file;
    }

    private static int Reused(LibraryFile file) => ((LazyBibPapers)file.Papers).Reused;

    private static void AssertSameAsFresh(string path, string before, string after, LibraryFile? previous = null)
    {
        var reloaded = Decoded(path, after, previous ?? Decoded(path, before));
        Assert.Equal(BibLazyTests.Full(BibParser.Parse(path, after)), BibLazyTests.Full(reloaded));
    }

    private const string Library = """
        @string{j = "Journal One"}
        @article{a, journal = j, title = {Alpha}, author = {Doe, Jane}, year = 2001}
        @article{b, journal = j, title = {Beta}, month = mar, year = 2002}
        @string{k = j # " Two"}
        @article{c, journal = k, title = {Gamma}, author = {A, B, C, D}}
        @article{d, title = {Delta}}
        """;

    [Fact]
    public void One_changed_entry_is_decoded_again_and_the_others_are_reused()
    {
        var before = Decoded("/w/refs.bib", Library);
        var after = Library.Replace("{Beta}", "{Beta, revised}");
        var reloaded = Decoded("/w/refs.bib", after, before);
        Assert.Equal(2, Reused(reloaded)); // a and d; c had a decoding error, so it is decoded again and reported here too
        Assert.Equal("Beta, revised", reloaded.Papers[1].Title);
        Assert.Same(before.Papers[0].Title, reloaded.Papers[0].Title);
        AssertSameAsFresh("/w/refs.bib", Library, after);
    }

    [Theory]
    [InlineData("@string{j = \"Journal One\"}", "@string{j = \"Journal Uno\"}")] // a macro's value
    [InlineData("@article{d, title = {Delta}}", "@article{d, title = {Delta}}\n@string{z = \"Z\"}")] // a macro added
    [InlineData("@article{a, journal = j, title = {Alpha}, author = {Doe, Jane}, year = 2001}\n", "")] // an entry removed
    [InlineData("@string{k = j # \" Two\"}\n", "")] // a macro removed: c reads k unexpanded now
    [InlineData("title = {Gamma}", "title = {Gamma}, note = {new}")]
    [InlineData("title = {Alpha}", "title = {Alpho}")] // the same length: only the scan's hash tells
    public void Whatever_changed_the_papers_and_errors_are_those_of_a_fresh_parse(string from, string to) =>
        AssertSameAsFresh("/w/refs.bib", Library, Library.Replace(from, to));

    [Fact]
    public void A_reused_paper_reads_its_abstract_from_the_new_file_so_the_replaced_text_can_go()
    {
        var text = "@article{a, title = {Alpha}, abstract = {First \\'etude.}}\n@article{b, title = {Beta}, abstract = {Second.}}\n";
        var before = Decoded("/w/refs.bib", text);
        var after = "% a comment that moves everything\n" + text.Replace("{Beta}", "{Beta 2}");
        var reloaded = Decoded("/w/refs.bib", after, before);
        Assert.Equal(1, Reused(reloaded));
        var reused = reloaded.Papers[0];
        Assert.Equal("First étude.", reused.Abstract);
        Assert.Same(reloaded.Papers, reused.AbstractSource!.File);
        Assert.Same(before.Papers, before.Papers[0].AbstractSource!.File);
    }

    [Fact]
    public void Entries_moved_across_a_macro_definition_are_read_again()
    {
        // b moved after the definition of k: same text, same table, but a different number of definitions before it.
        var moved = Library.Replace("@article{b, journal = j, title = {Beta}, month = mar, year = 2002}\n", "") + "\n@article{b, journal = j, title = {Beta}, month = mar, year = 2002}";
        var reloaded = Decoded("/w/refs.bib", moved, Decoded("/w/refs.bib", Library));
        Assert.Equal(BibLazyTests.Full(BibParser.Parse("/w/refs.bib", moved)), BibLazyTests.Full(reloaded));
    }

    [Fact]
    public void A_large_rewrite_with_one_title_changed_reuses_every_other_paper()
    {
        var sb = new StringBuilder("@string{jmlr = {Journal of Machine Learning Research}}\n");
        for (int i = 0; i < 5000; i++)
            sb.Append($"@article{{k{i}, title = {{T\\'itle {i}}}, author = {{M{{\\\"u}}ller, J. and Roe, R.}}, journal = jmlr, year = {2000 + i % 20}}}\n");
        var text = sb.ToString();
        var before = Decoded("/w/big.bib", text);
        var after = text.Replace("{T\\'itle 2500}", "{Changed title}");
        var reloaded = Decoded("/w/big.bib", after, before);
        Assert.Equal(4999, Reused(reloaded));
        Assert.Equal("Changed title", reloaded.Papers[2500].Title);
        Assert.Equal(BibLazyTests.Full(BibParser.Parse("/w/big.bib", after)), BibLazyTests.Full(reloaded));
    }

    [Fact]
    public void A_rewritten_file_keeps_the_key_strings_of_the_file_it_replaced()
    {
        // Read whole and streamed (in small pieces), as small and big files are: a key found again is the same string.
        var after = Library.Replace("@article{d, title = {Delta}}", "@article{e, title = {Epsilon}}\n@article{d, title = {Delta}}");
        foreach (var read in new Func<string, LibraryFile?, LibraryFile>[] { (text, previous) => BibParser.Parse("/w/lib.bib", text, previous), Streamed })
        {
            var before = read(Library, null);
            var reloaded = read(after, before);
            Assert.Equal(["a", "b", "c", "e", "d"], Enumerable.Range(0, reloaded.Papers.Count).Select(reloaded.KeyAt));
            foreach (var (key, i) in new[] { ("a", 0), ("b", 1), ("c", 2), ("d", 4) })
                Assert.Same(before.KeyAt(Enumerable.Range(0, before.Papers.Count).First(j => before.KeyAt(j) == key)), reloaded.KeyAt(i));
            Assert.Equal(BibLazyTests.Full(BibParser.Parse("/w/lib.bib", after)), BibLazyTests.Full(Decoded("/w/lib.bib", after, before)));
        }

        static LibraryFile Streamed(string text, LibraryFile? previous)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var parser = new BibStreamParser("/w/lib.bib", bytes.Length, previous, 16, 64, CompressingText.MaxBytes);
            for (int at = 0; at < bytes.Length; at += 7) parser.Append(bytes.AsSpan(at, Math.Min(7, bytes.Length - at)));
            return parser.Finish();
        }
    }

    [Fact]
    public void Every_fixture_file_reloaded_with_its_first_entry_removed_reads_as_a_fresh_parse()
    {
        var files = Directory.EnumerateFiles(BibTestSupport.Fixtures("debian-bib"), "*.bib", SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal).Take(150).ToList();
        Assert.True(files.Count > 50);
        int reused = 0;
        foreach (var path in files)
        {
            var text = BibTestSupport.ReadUtf8(path);
            int second = text.IndexOf("\n@", text.IndexOf('@') + 1, StringComparison.Ordinal);
            if (second < 0) continue;
            var after = text[(second + 1)..]; // the first entry (or @string/@preamble) gone: everything after moves
            var previous = Decoded(path, text);
            var reloaded = Decoded(path, after, previous);
            Assert.Equal(BibLazyTests.Full(BibParser.Parse(path, after)), BibLazyTests.Full(reloaded));
            if (reloaded.Papers is LazyBibPapers lazy) reused += lazy.Reused;
        }
        Assert.True(reused > 1000, $"only {reused} papers reused");
    }
}
