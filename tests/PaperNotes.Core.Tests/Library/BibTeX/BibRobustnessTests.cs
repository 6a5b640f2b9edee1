using System.Diagnostics;
using System.Text;
using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>Garbage in, never an exception out, and never slow.</summary>
public class BibRobustnessTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_bytes_never_throw(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[200_000];
        random.NextBytes(bytes);
        // Salt with BibTeX's own specials so the parser's paths are exercised.
        const string specials = "@{}()\"#=,\n \\%~$";
        for (int i = 0; i < bytes.Length; i += random.Next(1, 8)) bytes[i] = (byte)specials[random.Next(specials.Length)];
        var text = new UTF8Encoding(false, false).GetString(bytes);
        var file = BibParser.Parse("r.bib", text);
        Assert.All(file.Errors, e => Assert.InRange(e.Span.Start, 0, text.Length));
    }

    [Fact]
    public void Random_tokens_never_throw()
    {
        var random = new Random(42);
        string[] tokens = ["@article", "@string", "@comment", "@preamble", "(", ")", "{", "}", "\"", "#", "=", ",", "\n", " ",
            "key", "title", "author", "and", "jan", "crossref", "xdata", "\\\"o", "\\", "--", "~", "$", "{\\L}", "date", "2020-01/2021"];
        for (int round = 0; round < 300; round++)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < 200; i++) sb.Append(tokens[random.Next(tokens.Length)]);
            BibParser.Parse("t.bib", sb.ToString());
        }
    }

    [Fact]
    public void Every_prefix_of_a_real_file_parses()
    {
        var path = BibTestSupport.Fixtures("debian-bib/texlive-base/xampl.bib");
        var text = BibTestSupport.ReadUtf8(path);
        int last = -1;
        for (int n = 0; n <= text.Length; n++)
        {
            var file = BibParser.Parse(path, text[..n]);
            Assert.True(file.Papers.Count >= last - 1, $"prefix {n}: {file.Papers.Count} papers after {last}");
            last = file.Papers.Count;
        }
        Assert.Equal(36, last);
    }

    [Fact]
    public void Huge_single_line_file_parses_fast()
    {
        var sb = new StringBuilder(20_000_000);
        int i = 0;
        while (sb.Length < 20_000_000)
            sb.Append("@article{k").Append(i++).Append(", title = {A {\\\"o} title}, author = {Doe, J. and Roe, R.}, year = 2001, abstract = {")
              .Append('x', 150).Append("}} ");
        var text = sb.ToString();
        var sw = Stopwatch.StartNew();
        var file = BibParser.Parse("big.bib", text);
        sw.Stop();
        Assert.Equal(i, file.Papers.Count);
        Assert.Empty(file.Errors);
        // Not a performance target (those live in bench/): a guard against quadratic blow-ups, which would
        // take minutes here; generous so a loaded CI machine cannot make it flake.
        Assert.True(sw.ElapsedMilliseconds < 30_000, $"20 MB single line took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Huge_unterminated_values_do_not_go_quadratic()
    {
        // Many unclosed braces on one line: each scan to the end must not repeat per error.
        var text = "@misc{a, title = {" + new string('{', 200_000) + string.Concat(Enumerable.Repeat(" @misc{b, t = {x}}", 20_000));
        var sw = Stopwatch.StartNew();
        var file = BibParser.Parse("u.bib", text);
        sw.Stop();
        Assert.Single(file.Papers);
        Assert.True(sw.ElapsedMilliseconds < 30_000, $"took {sw.ElapsedMilliseconds} ms (quadratic?)");
    }

    [Fact]
    public void Big_files_map_in_parallel_with_errors_in_source_order()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) sb.Append("@misc{k").Append(i).Append(", author = {A, B, C, D}}\n");
        var file = BibParser.Parse("p.bib", sb.ToString());
        Assert.Equal(10_000, file.Papers.Count);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => "k" + i), file.Papers.Select(p => p.Key));
        Assert.Equal(10_000, file.Errors.Count);
        Assert.Equal(file.Errors.OrderBy(e => e.Span.Start), file.Errors);
    }
}
