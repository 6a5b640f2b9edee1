using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;
using PaperNotes.Core.Library.Import;
using PaperNotes.Core.Tests.Library.Csl;

namespace PaperNotes.Core.Tests.Library.Import;

public class DailyPapersImporterTests
{
    private static string Seed => File.ReadAllText(CslTestSupport.SharedPath("seeds", "daily-papers-self.txt"));

    private static IReadOnlyList<Paper> ImportOk(string text, int year = 2026)
    {
        var result = DailyPapersImporter.Import(text, year);
        Assert.True(result.Succeeded, result.Error);
        return result.Papers;
    }

    private static string Listing(params string[] papers) =>
        "Daily Papers\n\nbyAK and the research community\n\nApr 17\n\n" + string.Join("\n\n", papers);

    private static string Entry(string title, string byline = "  • 3 authors", string date = "Feb 12, 2021 1",
        string abstractText = "We study things. Code: https://github.com/a/b.") =>
        $"{title}\n\n{abstractText}\n\n{byline}\n·\n{date}";

    [Fact]
    public void Seed_imports_46_papers()
    {
        var papers = ImportOk(Seed);
        Assert.Equal(46, papers.Count);
        Assert.Equal(46, papers.Select(p => p.Key).Distinct().Count());
        Assert.All(papers, p => Assert.Equal("article", p.Type));
    }

    [Fact]
    public void Seed_first_paper_field_by_field()
    {
        var p = ImportOk(Seed)[0];
        Assert.Equal("understanding2021", p.Key);
        Assert.Equal("Understanding self-supervised Learning Dynamics without Contrastive Pairs", p.Title);
        Assert.StartsWith("While contrastive approaches", p.Abstract);
        Assert.EndsWith("Code is released https://github.com/facebookresearch/luckmatters/tree/master/ssl.", p.Abstract);
        Assert.Contains("{\\it without}", p.Abstract); // verbatim, LaTeX left as the page shows it
        Assert.Equal(new PaperDate(2021, 2, 12), p.Issued);
        Assert.Equal("https://github.com/facebookresearch/luckmatters/tree/master/ssl", p.Code);
        Assert.Equal("1", p.Fields["custom.upvotes"]);
        Assert.Equal("3", p.Fields["custom.authors-count"]);
        Assert.Null(p.Organization);
    }

    [Fact]
    public void Seed_keys_dates_and_custom_values()
    {
        var papers = ImportOk(Seed);
        var sb = new StringBuilder();
        foreach (var p in papers)
            sb.Append($"{p.Key} {p.Issued?.Display ?? "-"} up={p.Fields.GetValueOrDefault("custom.upvotes", "-")} "
                + $"n={p.Fields.GetValueOrDefault("custom.authors-count", "-")} org={p.Organization ?? "-"} code={p.Code ?? "-"}\n");
        Assert.Equal(ExpectedSeedSummary.Replace("\r\n", "\n"), sb.ToString());
    }

    private const string ExpectedSeedSummary = """
        understanding2021 Feb 12, 2021 up=1 n=3 org=- code=https://github.com/facebookresearch/luckmatters/tree/master/ssl
        metisspecs2025 Oct 28, 2025 up=- n=7 org=- code=-
        semantics2023 Aug 19, 2023 up=- n=4 org=- code=https://github.com/shvdiwnkozbw/SMTC
        w2vbert2021 Aug 7, 2021 up=- n=7 org=- code=-
        hicmae2024 Jan 11, 2024 up=- n=4 org=- code=https://github.com/sunlicai/HiCMAE
        selfrefined2024 Aug 19, 2024 up=- n=6 org=- code=-
        selfsupervised2022 Nov 1, 2022 up=- n=6 org=- code=https://github.com/TongkunGuan/CCD
        reasoningsql2025 Mar 29, 2025 up=4 n=8 org=- code=-
        madi2025 Jul 16, 2025 up=- n=5 org=- code=-
        speecht52021 Oct 14, 2021 up=5 n=14 org=- code=https://github.com/microsoft/SpeechT5
        bstar2024 Dec 22, 2024 up=2 n=6 org=- code=-
        teaching2026 Jan 26, 2026 up=3 n=- org=AI at Meta code=-
        democratizing2023 Oct 20, 2023 up=1 n=11 org=- code=https://github.com/Raibows/Learn-to-Reason
        augmenting2023 May 21, 2023 up=- n=5 org=- code=-
        toward2024 Apr 18, 2024 up=3 n=7 org=- code=-
        bootstrapping2025 Sep 4, 2025 up=2 n=3 org=- code=-
        learning2022 Sep 14, 2022 up=- n=9 org=- code=-
        reasoning2024 Jul 16, 2024 up=- n=6 org=- code=-
        improving2026 Feb 17, 2026 up=- n=8 org=- code=-
        ssrl2025 Aug 14, 2025 up=4 n=18 org=- code=-
        selfsupervised2023 Apr 12, 2023 up=- n=3 org=- code=-
        mine2021 Feb 19, 2021 up=- n=13 org=- code=-
        semantic2025 Sep 11, 2025 up=- n=5 org=- code=https://github.com/KID-7391/CoTAP
        chasing2025 Jun 9, 2025 up=- n=7 org=- code=-
        pearl2026 Jan 27, 2026 up=- n=7 org=- code=-
        training2024 Sep 19, 2024 up=9 n=18 org=- code=-
        temporal2025 Aug 8, 2025 up=2 n=12 org=- code=-
        restmcts2024 Jun 6, 2024 up=- n=5 org=- code=-
        reward2025 Mar 27, 2025 up=- n=1 org=- code=-
        self2023 Sep 30, 2023 up=- n=9 org=- code=-
        optimizing2024 May 7, 2024 up=3 n=9 org=- code=-
        enable2023 Oct 2, 2023 up=2 n=7 org=- code=-
        bridging2025 May 23, 2025 up=2 n=10 org=- code=-
        nested2025 Dec 31, 2025 up=6 n=4 org=- code=-
        selfimprovement2024 Dec 2, 2024 up=- n=8 org=- code=-
        iterative2025 Feb 7, 2025 up=- n=3 org=- code=-
        selfguide2024 Jul 16, 2024 up=- n=5 org=- code=-
        ssrzero2025 May 22, 2025 up=- n=4 org=- code=-
        prm2025 May 16, 2025 up=- n=9 org=- code=-
        exploring2025 Jun 18, 2025 up=- n=10 org=- code=-
        selfcorrection2024 Oct 5, 2024 up=- n=5 org=- code=-
        discovering2024 Feb 8, 2024 up=- n=6 org=- code=-
        selfevaluation2025 Dec 26, 2025 up=3 n=- org=Adobe Research code=-
        unifying2023 Dec 29, 2023 up=- n=2 org=- code=https://github.com/emsansone/GEDI
        internal2024 Jul 19, 2024 up=9 n=9 org=- code=https://github.com/IAAR-Shanghai/ICSFSurvey
        agent0vl - up=- n=- org=- code=https://github.com/aiming-lab/Agent0/Agent0-VL

        """;

    [Fact]
    public void Year_comes_from_the_default_when_the_date_has_none()
    {
        var p = ImportOk(Seed, 2030).Single(p => p.Title!.StartsWith("Teaching Models", StringComparison.Ordinal));
        Assert.Equal("teaching2030", p.Key);
        Assert.Equal(new PaperDate(2030, 1, 26), p.Issued);
        Assert.Equal("AI at Meta", p.Organization);
        Assert.Equal("3", p.Fields["custom.upvotes"]);
        Assert.False(p.Fields.ContainsKey("custom.authors-count"));
    }

    [Fact]
    public void Cut_off_last_paper_has_no_date_and_a_bare_key()
    {
        var p = ImportOk(Seed)[^1];
        Assert.Equal("agent0vl", p.Key);
        Assert.Null(p.Issued);
        Assert.Empty(p.Fields);
        Assert.Equal("https://github.com/aiming-lab/Agent0/Agent0-VL", p.Code);
    }

    [Fact]
    public void Repeated_keys_get_a_b_c_suffixes_and_stop_words_are_skipped()
    {
        var papers = ImportOk(Listing(
            Entry("The Learning Machine"),
            Entry("On Learning: again"),
            Entry("A Learning-to-learn study"),
            Entry("Learning, once more"),
            Entry("Is it a test?", date: "Mar 3 12"),
            Entry("Über Lernen")));
        Assert.Equal(["learning2021", "learning2021a", "learningtolearn2021", "learning2021b", "it2026", "ber2021"],
            papers.Select(p => p.Key));
        Assert.Equal("12", papers[4].Fields["custom.upvotes"]);
    }

    [Fact]
    public void Code_url_drops_trailing_punctuation_and_braced_tails()
    {
        Assert.Equal("https://github.com/a/b", DailyPapersImporter.CodeUrl("see https://github.com/a/b)."));
        Assert.Equal("https://github.com/x/y", DailyPapersImporter.CodeUrl("at https://github.com/x/y{this https URL}."));
        Assert.Null(DailyPapersImporter.CodeUrl("see https://gitlab.com/a/b."));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n\n  ", "empty")]
    [InlineData("Just some random text.\nAnother line.\n", "line 1")]
    [InlineData("@article{vaswani2017,\n  title = {Attention Is All You Need},\n  year = 2017\n}\n", "not a Daily Papers listing")]
    [InlineData("\u0089PNG\r\n\u001a\n\0\0\0\rIHDR", "binary")]
    public void Non_listing_input_is_a_failure_with_a_clear_message(string text, string expected)
    {
        var result = DailyPapersImporter.Import(text, 2026);
        Assert.False(result.Succeeded);
        Assert.Empty(result.Papers);
        Assert.Contains(expected, result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Bad_date_line_names_its_line()
    {
        var result = DailyPapersImporter.Import(Listing(Entry("Title", date: "yesterday")), 2026);
        Assert.False(result.Succeeded);
        Assert.StartsWith("Line 13: expected a date", result.Error);
    }

    [Fact]
    public void Text_between_papers_names_its_line()
    {
        var result = DailyPapersImporter.Import(Listing(Entry("One"), "stray line\n\n" + Entry("Two")), 2026);
        Assert.False(result.Succeeded);
        Assert.StartsWith("Line 15: unexpected text between papers", result.Error);
    }

    [Fact]
    public void Crlf_input_imports_the_same()
    {
        var lf = ImportOk(Seed);
        var crlf = ImportOk(Seed.ReplaceLineEndings("\r\n"));
        Assert.Equal(lf.Select(p => p.Key + p.Abstract), crlf.Select(p => p.Key + p.Abstract));
    }

    [Fact]
    public void Seed_round_trips_through_csl_yaml()
    {
        var papers = ImportOk(Seed);
        var yaml = CslYamlWriter.Write(papers);
        var back = CslYamlParser.Parse("papers.csl.yaml", yaml);
        Assert.Empty(back.Errors);
        Assert.Equal(46, back.Papers.Count);
        for (int i = 0; i < papers.Count; i++)
        {
            Assert.Equal(papers[i].Key, back.Papers[i].Key);
            Assert.Equal(papers[i].Abstract, back.Papers[i].Abstract);
            Assert.Equal(papers[i].Issued, back.Papers[i].Issued);
            Assert.Equal(papers[i].Code, back.Papers[i].Code);
            Assert.Equal(papers[i].Organization, back.Papers[i].Organization);
            Assert.Equal(papers[i].Fields, back.Papers[i].Fields);
        }
        Assert.Contains("\n  custom:\n    upvotes: 1\n    authors-count: 3\n    code: https://github.com/facebookresearch/luckmatters/tree/master/ssl\n", yaml);
    }
}
