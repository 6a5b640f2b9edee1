using System.Diagnostics;
using System.Text;
using PaperNotes.Core.Library;
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

    [Theory]
    [InlineData("refs.bib", LibraryKind.BibTeX)]
    [InlineData("refs.csl.json", LibraryKind.CslJson)]
    [InlineData("refs.csl.yaml", LibraryKind.CslYaml)]
    public void A_binary_library_file_is_one_error_at_its_first_nul(string path, LibraryKind kind)
    {
        var bytes = new byte[100_000];
        new Random(7).NextBytes(bytes);
        var text = "@misc{k, title={T}}\n" + new UTF8Encoding(false, false).GetString(bytes);
        var file = LibraryParser.Parse(path, text, kind);
        Assert.Empty(file.Papers);
        var error = Assert.Single(file.Errors);
        Assert.Equal(new PaperNotes.Core.Text.TextSpan(text.IndexOf('\0'), 1), error.Span);
        Assert.StartsWith("binary file (a NUL character here), not read", error.Message);
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

    [Theory]
    [InlineData("\\'{", "}")]     // accent arguments: \'{\'{...}}
    [InlineData("\\enquote{", "}")] // quote commands
    [InlineData("\\'", "")]       // accents of accents, no braces
    public void LaTeX_nested_100k_deep_decodes_without_overflowing_the_stack(string open, string close)
    {
        const int n = 100_000;
        var text = "@misc{a, title = {" + string.Concat(Enumerable.Repeat(open, n)) + "e" + string.Concat(Enumerable.Repeat(close, n)) + "}}\n@misc{b, title = {B}}\n";
        var file = BibParser.Parse("d.bib", text);
        Assert.Equal(["a", "b"], file.Papers.Select(p => p.Key));
        Assert.Contains(file.Papers[0].Title!, c => c is 'e' or 'é'); // past 64 levels, accents go on nothing
        Assert.Equal(close.Length == 0 ? 0 : 1, file.Errors.Count);
    }

    [Fact]
    public void Braces_nested_100k_deep_are_an_error_at_the_65th_level_and_the_entry_still_loads()
    {
        var text = "@misc{a, title = {" + new string('{', 100_000) + "x" + new string('}', 100_000) + "}}\n@misc{b, title = \"" + new string('{', 70) + new string('}', 70) + "\"}\n";
        var file = BibParser.Parse("d.bib", text);
        Assert.Equal(["a", "b"], file.Papers.Select(p => p.Key));
        Assert.Equal("x", file.Papers[0].Title);
        int quoted = text.IndexOf('"') + 1;
        Assert.Equal([$"{18 + 64}..{18 + 65} braces in 'title' nested more than 64 levels deep", $"{quoted + 64}..{quoted + 65} braces in 'title' nested more than 64 levels deep"],
            file.Errors.Select(e => $"{e.Span} {e.Message}"));
    }

    /// <summary>Keys with their title lengths, then the errors: lazy decoding and eager decoding must agree on it.</summary>
    private static string Shape(string text)
    {
        static string Of(PaperNotes.Core.Library.LibraryFile file) =>
            string.Join("\n", file.Papers.Select(p => $"{p.Key} title:{p.Title?.Length ?? 0}")
                .Concat(file.Errors.Select(e => $"error@{e.Span} {e.Message}")));
        var lazy = Of(BibParser.Parse("m.bib", text));
        Assert.Equal(Of(BibParser.ParseEager("m.bib", text)), lazy);
        return lazy;
    }

    [Fact]
    public void Macro_bomb_is_an_error_at_the_string_that_passes_a_million_characters_and_later_strings_stay_small()
    {
        // Each macro triples the last: s25 would be 3^26 characters (was 6.8 GB, then out of memory).
        var sb = new StringBuilder("@string{s0 = \"lol\"}\n");
        for (int i = 0; i < 25; i++) sb.Append($"@string{{s{i + 1} = s{i} # s{i} # s{i}}}\n");
        sb.Append("@misc{boom, title = s25}\n@misc{fine, title = s3}\n");
        var text = sb.ToString();
        // s11 is 3^12 = 531,441 characters; s12's second part passes 1,048,576.
        int at = text.IndexOf("s11 # s11 # s11", StringComparison.Ordinal) + 6;
        Assert.Equal($"""
            boom title:0
            fine title:81
            error@{at}..{at + 3} 's12' is longer than 1,048,576 characters once its macros are expanded and joined: it is left empty
            """, Shape(text));
    }

    [Fact]
    public void A_field_joined_past_a_million_characters_is_an_error_at_that_part_found_by_the_keys_only_scan()
    {
        var text = "@string{big = {" + new string('x', 600_000) + "}}\n@misc{a, title = big # { and } # big}\n@misc{b, title = big}\n";
        int at = text.IndexOf("# big}", StringComparison.Ordinal) + 2;
        Assert.Equal($"""
            a title:0
            b title:600000
            error@{at}..{at + 3} 'title' is longer than 1,048,576 characters once its macros are expanded and joined: it is left empty
            """, Shape(text));
        Assert.Single(BibParser.Parse("m.bib", text).Errors); // without decoding: the scan found it
    }

    [Fact]
    public void Macros_past_the_file_budget_stay_unexpanded_from_there_with_one_error()
    {
        // 16 M characters beyond the file's own length: the 18th copy of a 1 M macro is past it.
        var sb = new StringBuilder("@string{m = {" + new string('x', 1_000_000) + "}}\n");
        for (int i = 0; i < 20; i++) sb.Append($"@misc{{k{i}, title = m}}\n");
        var text = sb.ToString();
        int at = text.IndexOf("k17, title = m", StringComparison.Ordinal) + 13;
        var budget = BibReader.ExpansionAllowance + (long)text.Length;
        Assert.Equal(string.Join("\n", Enumerable.Range(0, 20).Select(i => $"k{i} title:{(i < 17 ? 1_000_000 : 1)}"))
            + $"\nerror@{at}..{at + 1} macros in this file expand to more than {budget:N0} characters: 'm' and the macros after it are not expanded",
            Shape(text));
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
