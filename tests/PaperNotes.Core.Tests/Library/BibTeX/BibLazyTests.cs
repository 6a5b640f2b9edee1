using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>A BibTeX file is scanned for keys first and its papers decoded on first access: whatever the order
/// and the thread, the papers and errors are exactly those of decoding everything at once.</summary>
public class BibLazyTests
{
    /// <summary>Every property of every paper, then the errors.</summary>
    internal static string Full(LibraryFile file)
    {
        var sb = new StringBuilder();
        foreach (var p in file.Papers)
        {
            sb.Append($"{p.Key}|{p.Type}|{p.Title}|{string.Join(";", p.Authors.Select(BibTestSupport.Name))}|")
              .Append($"{string.Join(";", p.Editors.Select(BibTestSupport.Name))}|{BibTestSupport.Date(p.Issued)}|{p.ContainerTitle}|")
              .Append($"{p.Publisher}|{p.Abstract}|{p.Doi}|{p.Url}|{p.Arxiv}|{p.Code}|{p.Organization}|{p.SourcePath}|{p.KeySpan}|{p.EntrySpan}|")
              .Append(string.Join(",", p.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))).Append('\n');
        }
        foreach (var e in file.Errors) sb.Append($"error {e.Span} {e.Message}\n");
        return sb.ToString();
    }

    private static void AssertSameAsEager(string path, string text, int seed)
    {
        var lazy = BibParser.Parse(path, text);
        var eager = BibParser.ParseEager(path, text);
        Assert.Equal(eager.Papers.Count, lazy.Papers.Count);
        for (int i = 0; i < eager.Papers.Count; i++)
        {
            Assert.Equal(eager.Papers[i].Key, lazy.KeyAt(i));
            Assert.Equal(eager.Papers[i].KeySpan, lazy.KeySpanAt(i));
            Assert.Equal(eager.Papers[i].EntrySpan, lazy.EntrySpanAt(i));
        }
        // Some papers first, in a random order, then all of them.
        var random = new Random(seed);
        for (int k = 0; k < Math.Min(5, lazy.Papers.Count); k++) _ = lazy.Papers[random.Next(lazy.Papers.Count)];
        Assert.Equal(Full(eager), Full(lazy));
    }

    [Fact]
    public void Every_fixture_bib_file_decodes_lazily_to_the_same_papers_and_errors()
    {
        var files = BibTestSupport.FixtureBibFiles();
        Assert.True(files.Count > 1300);
        int seed = 0;
        foreach (var path in files) AssertSameAsEager(path, BibTestSupport.ReadUtf8(path), seed++);
    }

    [Fact]
    public void Lazily_decoded_papers_keep_no_abstract_and_read_it_again_from_the_text()
    {
        var text = "@string{s = {strings}}\n@article{a, title = {A}, abstract = {With \\emph{markup}, \\'accents and } # s}\n@article{b, title = {B}}";
        var file = BibParser.Parse("x.bib", text);
        var a = file.Papers[0];
        Assert.NotNull(a.AbstractSource); // nothing kept: the abstract is read back when asked for
        Assert.Equal(BibParser.ParseEager("x.bib", text).Papers[0].Abstract, a.Abstract);
        Assert.Equal("With markup, áccents and strings", a.Abstract);
        Assert.Null(file.Papers[1].AbstractSource);
        Assert.Null(file.Papers[1].Abstract);
    }

    [Fact]
    public void A_string_macro_redefined_between_entries_applies_only_to_the_entries_after_it()
    {
        var text = """
            @string{j = "First"}
            @article{a, journal = j, title = j # " title"}
            @string{j = "Second", k = j}
            @article{b, journal = j, title = k, month = jan}
            @string{jan = "Janvier"}
            @article{c, journal = j, month = jan, author = {A, B, C, D}}
            """;
        var file = BibParser.Parse("x.bib", text);
        Assert.Equal("Second", file.Papers[1].ContainerTitle);
        Assert.Equal("First", file.Papers[1].Title); // k = j sees the j defined before its @string
        Assert.Equal("First", file.Papers[0].ContainerTitle);
        Assert.Equal("First title", file.Papers[0].Title);
        AssertSameAsEager("x.bib", text, 1);
        Assert.Contains(file.Errors, e => e.Message.Contains("too many commas")); // decoding errors are reported too
    }

    [Fact]
    public void Keys_and_spans_need_no_decoding_and_each_paper_is_decoded_once_whatever_the_threads()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 6000; i++) sb.Append($"@article{{k{i}, title = {{T\\'e {i}}}, author = {{Doe, J. and Roe, R.}}, year = {2000 + i % 20}}}\n");
        var text = sb.ToString();
        var file = BibParser.Parse("big.bib", text);
        Assert.Equal(6000, file.Papers.Count);
        Assert.Equal("k5999", file.KeyAt(5999));
        Assert.Equal("k5999", text.Substring(file.KeySpanAt(5999).Start, file.KeySpanAt(5999).Length));
        var seen = new Paper[6000];
        Parallel.For(0, 4, t =>
        {
            var random = new Random(t);
            for (int n = 0; n < 6000; n++)
            {
                int i = random.Next(6000);
                var p = file.Papers[i];
                var previous = Interlocked.CompareExchange(ref seen[i], p, null);
                Assert.True(previous is null || ReferenceEquals(previous, p));
            }
        });
        var all = file.Papers.ToList(); // decodes the rest on all cores
        for (int i = 0; i < 6000; i++)
            if (seen[i] is { } p) Assert.Same(p, all[i]);
        Assert.Equal("Té 17", all[17].Title);
        Assert.Same(all[0].Authors[0], all[1].Authors[0]); // people are still shared across lazily decoded papers
        AssertSameAsEager("big.bib", text, 2);
    }
}
