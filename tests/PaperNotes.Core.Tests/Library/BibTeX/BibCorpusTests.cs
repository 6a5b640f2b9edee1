using System.Diagnostics;
using System.Text.RegularExpressions;
using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>Real .bib files the project did not write (read-only shared fixtures): parse them all without
/// throwing, with known entry counts, and malformed files still loading their good entries.</summary>
public partial class BibCorpusTests
{
    private static readonly string[] Folders = ["debian-bib", "retorquere-bibtex-parser", "biber-tdata", "python-bibtexparser"];

    /// <summary>Line-initial "@type{" headers that are entries (not @string/@preamble/@comment): a rough count to compare with.</summary>
    [GeneratedRegex(@"^[ \t]*@[ \t]*(?!string|preamble|comment)[a-z]+[ \t]*[{(]", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex EntryHeader();

    [Fact]
    public void Every_fixture_bib_file_parses_without_throwing_and_loads_its_entries()
    {
        var files = Folders.SelectMany(f => Directory.EnumerateFiles(BibTestSupport.Fixtures(f), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".bib", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".biblatex", StringComparison.OrdinalIgnoreCase)
                || f.EndsWith(".bibtex", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 1300, $"expected the shared .bib fixtures, found {files.Count}");
        long headers = 0, papers = 0, chars = 0;
        var lost = new List<string>();
        var sw = Stopwatch.StartNew();
        foreach (var path in files)
        {
            var text = BibTestSupport.ReadUtf8(path);
            chars += text.Length;
            var file = BibParser.Parse(path, text);
            int expected = EntryHeader().Matches(text).Count;
            headers += expected;
            papers += file.Papers.Count;
            if (file.Papers.Count < expected)
                lost.Add($"{Path.GetRelativePath(BibTestSupport.Fixtures("."), path)}: {file.Papers.Count}/{expected} " +
                    string.Join(" | ", file.Errors.Take(2).Select(e => $"{e.Span} {e.Message}")));
        }
        sw.Stop();
        double rate = (double)papers / headers;
        var report = $"{files.Count} files, {chars / 1e6:F1} M chars in {sw.ElapsedMilliseconds} ms; papers {papers} for {headers} entry headers ({rate:P2})\n"
            + string.Join("\n", lost);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "papernotes-bib-corpus.txt"), report);
        Assert.True(rate >= 0.999, report); // pinned: 18,859 papers for 18,845 line-initial entry headers
    }

    [Theory]
    [InlineData("debian-bib/texlive-bibtex-extra/beebe/tugboat.bib", 4839)]
    [InlineData("debian-bib/texlive-base/xampl.bib", 36)]
    public void Known_files_have_their_entry_counts(string relative, int entries)
    {
        var path = BibTestSupport.Fixtures(relative);
        var file = BibParser.Parse(path, BibTestSupport.ReadUtf8(path));
        Assert.Equal(entries, file.Papers.Count);
        Assert.All(file.Errors, e => Assert.StartsWith("duplicate field", e.Message)); // tugboat.bib repeats a few fields
    }

    [Fact]
    public void Tugboat_expands_its_string_macros()
    {
        var path = BibTestSupport.Fixtures("debian-bib/texlive-bibtex-extra/beebe/tugboat.bib");
        var file = BibParser.Parse(path, BibTestSupport.ReadUtf8(path));
        var withJournal = file.Papers.Count(p => p.ContainerTitle == "TUGboat");
        Assert.True(withJournal > 3000, $"only {withJournal} papers have ContainerTitle TUGboat");
        Assert.True(file.Papers.Count(p => p.Issued?.Year is not null) > 4500);
    }

    [Fact]
    public void R_cran_malformed_files_report_errors_and_keep_the_good_entries()
    {
        string Dump(string name)
        {
            var path = BibTestSupport.Fixtures("debian-bib/r-cran-bibtex/" + name);
            return BibTestSupport.Dump(BibParser.Parse(path, BibTestSupport.ReadUtf8(path)));
        }
        // Three commas in one name: BibTeX's "too many commas" error; the entry still loads.
        Assert.Equal("""
            brown:1963 book "" | Brown, R. G. | 1963 |
            smith+stanley:1983 article "Clocking g: relating intelligence and measures of timed performance" | Smith, G. A.; G., Stanley | 1983 | Intelligence
            chambers+cleveland+kleiner+tukey:1983 book "Graphical Methods for Data Analysis" | Chambers, Cleveland, W. S., Kleiner, B., Tukey, P. A. {J. M.} | 1983 |
            error@449..486 too many commas in a name of 'chambers+cleveland+kleiner+tukey:1983' (separate names with 'and')
            """, Dump("badFormat.bib"));
        // The unbalanced '{' of murdoch:2010's title eats the entry's '}': the entry is unclosed, the next ones load.
        Assert.Equal("""
            murdoch:2009 misc "Parsing Rd files" | Murdoch, Duncan | 2009 |
            murdoch:2010 misc ""Parsing Rd files unbalanced", year = 2010, url = "http://developer.r-project.org/parseRd.pdf"" | Murdoch, Duncan |  |
            error@313..313 unclosed entry: expected '}'
            """, Dump("unbalanced_braces.bib"));
        Assert.Equal("""
            murdoch:2009 misc "Parsing Rd files" | Murdoch, Duncan | 2009 |
            error@8..9 unexpected '{' in entry: expected a field name
            """, Dump("unable_recover_42.bib"));
    }
}
