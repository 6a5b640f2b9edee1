using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;
using static PaperNotes.Core.Tests.Library.Csl.CslTestSupport;

namespace PaperNotes.Core.Tests.Library.Csl;

public class CslYamlWriterTests
{
    private static string Render(IEnumerable<Paper> papers)
    {
        var sb = new StringBuilder();
        foreach (var p in papers)
        {
            sb.Append($"PAPER \"{p.Key}\"\n");
            DumpPaper(sb, p);
        }
        return sb.ToString();
    }

    private static void AssertRoundTrip(IReadOnlyList<Paper> papers)
    {
        var yaml = CslYamlWriter.Write(papers);
        var back = CslYamlParser.Parse("out.csl.yaml", yaml);
        Assert.True(back.Errors.Count == 0, string.Join("\n", back.Errors) + "\n" + yaml);
        Assert.Equal(Render(papers), Render(back.Papers));
    }

    [Fact]
    public void Writes_pandoc_layout_with_nested_custom_map()
    {
        var paper = new Paper
        {
            Key = "understanding2021",
            Type = "article",
            Title = "Understanding: self-supervised \"Learning\"",
            Authors = [new PersonName("Tian", "Yuandong"), new PersonName(null, null, "AI at Meta")],
            Issued = new PaperDate(2021, 2, 12),
            Abstract = "Line one\nline two # not a comment",
            Code = "https://github.com/facebookresearch/luckmatters",
            Fields = new Dictionary<string, string> { ["custom.upvotes"] = "1", ["custom.authors-count"] = "3", ["volume"] = "007" },
        };
        Assert.Equal("""
            # from a test
            references:
            - id: understanding2021
              type: article
              title: "Understanding: self-supervised \"Learning\""
              author:
              - family: Tian
                given: Yuandong
              - literal: AI at Meta
              issued: {date-parts: [[2021, 2, 12]]}
              abstract: "Line one\nline two # not a comment"
              volume: "007"
              custom:
                upvotes: 1
                authors-count: 3
                code: https://github.com/facebookresearch/luckmatters

            """.Replace("\r\n", "\n"), CslYamlWriter.Write([paper], "from a test"));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("2021-02-12")]
    [InlineData("- dash")]
    [InlineData("key: value")]
    [InlineData("a: b:c")]
    [InlineData("tab\there")]
    [InlineData("quote \" and backslash \\")]
    [InlineData("Ünïcode 😀 中文")]
    [InlineData("#hash")]
    [InlineData("12.5")]
    [InlineData("{braced}")]
    public void Awkward_strings_survive_a_round_trip(string value)
    {
        AssertRoundTrip([new Paper { Key = "k", Title = value, Publisher = value, Fields = new Dictionary<string, string> { ["note"] = value } }]);
    }

    [Fact]
    public void Citeproc_fixture_papers_survive_a_round_trip()
    {
        var folder = SharedPath("fixtures", "csl-json", "citeproc-inputs");
        var papers = new List<Paper>();
        foreach (var path in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            papers.AddRange(CslJsonParser.Parse(path, File.ReadAllText(path)).Papers);
        Assert.Equal(1964, papers.Count);
        AssertRoundTrip(papers);
    }

    [Fact]
    public void Empty_library_is_an_empty_list()
    {
        var yaml = CslYamlWriter.Write([]);
        Assert.Equal("references: []\n", yaml);
        var back = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Empty(back.Papers);
        Assert.Empty(back.Errors);
    }
}
