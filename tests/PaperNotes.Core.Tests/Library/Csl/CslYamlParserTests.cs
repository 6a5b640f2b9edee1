using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;
using YamlDotNet.RepresentationModel;
using static PaperNotes.Core.Tests.Library.Csl.CslTestSupport;

namespace PaperNotes.Core.Tests.Library.Csl;

public class CslYamlParserTests
{
    private static void Check(string yaml, string expected)
    {
        var file = CslYamlParser.Parse("refs.csl.yaml", yaml);
        Assert.Equal(Normalize(expected), Dump(file, yaml));
    }

    [Fact]
    public void Pandoc_references_list_with_every_date_form()
    {
        Check("""
            references:
            - id: aksin
              type: article-journal
              author:
              - family: Aksın
                given: Özge
              - family: Gogh
                given: Vincent
                non-dropping-particle: van
              issued: 2006
              title: "Effect of immobilization: <i>Pd</i>"
            - id: 'q2021'
              issued: {date-parts: [[2021, 2, 12]]}
            - id: "iso"
              issued: 2021-02-12
              custom:
                code: https://github.com/a/b
                upvotes: 3
            """, """
            PAPER@14..220 key@18..23 "aksin"
              type: article-journal
              title: Effect of immobilization: Pd
              author: [Aksın|Özge|||] [Gogh|Vincent||van|]
              issued: 2006///
            PAPER@223..274 key@228..233 "q2021"
              issued: 2021/2/12/
            PAPER@277..365 key@282..285 "iso"
              issued: 2021/2/12/
              code: https://github.com/a/b
              .custom.upvotes: 3

            """);
    }

    [Fact]
    public void Bare_list_crlf_and_astral_characters_keep_exact_spans()
    {
        var yaml = "- id: 😀emoji\r\n  title: Ünïcode 😀\r\n- id: \"b\"\r\n  title: x\r\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Empty(file.Errors);
        Assert.Equal(2, file.Papers.Count);
        var b = file.Papers[1];
        Assert.Equal("b", yaml.Substring(b.KeySpan.Start, b.KeySpan.Length));
        Assert.Equal(yaml.IndexOf("\"b\"", StringComparison.Ordinal) + 1, b.KeySpan.Start);
        Assert.Equal("id: \"b\"\r\n  title: x", yaml.Substring(b.EntrySpan.Start, b.EntrySpan.Length));
        Assert.Equal("😀emoji", yaml.Substring(file.Papers[0].KeySpan.Start, file.Papers[0].KeySpan.Length));
    }

    [Fact]
    public void Missing_id_is_an_error_on_that_item()
    {
        Check("""
            references:
            - title: No id
            - id: ok
            """, """
            PAPER@29..35 key@33..35 "ok"
            ERROR@14..15 "CSL item has no "id"; it is skipped."

            """);
    }

    [Fact]
    public void Yaml_syntax_error_is_reported_at_its_place_without_throwing()
    {
        var yaml = "references:\n- id: a\n  title: \"unclosed\n- id: b\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        var error = Assert.Single(file.Errors);
        Assert.StartsWith("Invalid YAML: ", error.Message);
        Assert.DoesNotContain("Line:", error.Message);
        Assert.InRange(error.Span.Start, yaml.IndexOf('"'), yaml.Length);
    }

    [Fact]
    public void Yaml_error_position_is_exact_for_a_bad_indent()
    {
        var yaml = "references:\n- id: a\n title: x\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        var error = Assert.Single(file.Errors);
        var position = file.Lines.GetPosition(error.Span.Start);
        Assert.Equal(2, position.Line);
    }

    [Theory]
    [InlineData("just a sentence")]
    [InlineData("references: 12")]
    [InlineData("[unclosed")]
    [InlineData("\0\u0001binary")]
    public void Non_csl_yaml_is_an_error_not_an_exception(string yaml)
    {
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Empty(file.Papers);
        Assert.NotEmpty(file.Errors);
    }

    /// <summary>Nine levels of nine aliases ("billion laughs"): 1 KB of YAML that walks to 9^9 values.</summary>
    internal static string AliasBomb(string indent)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(indent).Append("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 9; i++)
            sb.Append(indent).Append($"x{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))).Append("]\n");
        return sb.ToString();
    }

    [Fact]
    public void Yaml_alias_bomb_is_refused_with_an_error_at_the_alias()
    {
        var yaml = "- id: before\n  title: Kept\n- id: bomb\n" + AliasBomb("  ") + "- id: after\n  title: Also kept\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Equal(["before", "bomb", "after"], file.Papers.Select(p => p.Key));
        Assert.Equal("Also kept", file.Papers[2].Title);
        var error = Assert.Single(file.Errors);
        // a0..a3 repeat 90 + 819 + 7,380 values; the first *a3 (7,381 more) is past the 10,000 budget.
        int at = yaml.IndexOf("*a3", StringComparison.Ordinal);
        Assert.Equal($"{at}..{at + 3}", error.Span.ToString());
        Assert.StartsWith("too many YAML aliases: together they may repeat at most 10,000 values", error.Message);
    }

    [Fact]
    public void Yaml_aliases_repeating_a_long_value_stop_at_a_million_characters()
    {
        var yaml = "- id: k0\n  title: &t " + new string('x', 600_000) + "\n- id: k1\n  title: *t\n- id: k2\n  title: *t\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Equal([600_000, 600_000, 0], file.Papers.Select(p => p.Title?.Length ?? 0));
        var error = Assert.Single(file.Errors);
        Assert.Equal(yaml.LastIndexOf("*t", StringComparison.Ordinal), error.Span.Start);
    }

    [Fact]
    public void Yaml_alias_inside_the_node_it_names_is_read_as_empty()
    {
        var yaml = "- id: a\n  note: &n [x, *n]\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Equal("a", Assert.Single(file.Papers).Key);
        var error = Assert.Single(file.Errors);
        Assert.Equal(yaml.IndexOf("*n", StringComparison.Ordinal), error.Span.Start);
        Assert.Equal("YAML alias '*n' is inside the node it names; read as empty", error.Message);
    }

    [Fact]
    public void Yaml_a_few_aliases_still_work()
    {
        var yaml = "- id: a\n  publisher: &p Big Press\n- id: b\n  publisher: *p\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Empty(file.Errors);
        Assert.Equal(["Big Press", "Big Press"], file.Papers.Select(p => p.Publisher));
    }

    [Theory]
    [InlineData("]")]
    [InlineData("")]
    public void Yaml_nested_100k_deep_stops_at_the_65th_level_like_a_syntax_error(string closers)
    {
        var yaml = "- id: a\n- id: deep\n  note: " + new string('[', 100_000) + closers.PadRight(closers.Length * 100_000, ']') + "\n";
        var file = CslYamlParser.Parse("x.csl.yaml", yaml);
        Assert.Empty(file.Papers);
        var error = Assert.Single(file.Errors);
        // The list and the item are two levels; the 63rd '[' would be the 65th.
        Assert.Equal(yaml.IndexOf('[') + 62, error.Span.Start);
        Assert.Equal("Invalid YAML: nested more than 64 levels deep", error.Message);
    }

    [Fact]
    public void ReadItems_shifts_spans_by_the_front_matter_offset()
    {
        var note = "---\ntitle: Notes\nreferences:\n- id: smith2020\n  title: A study\n---\nBody [@smith2020].\n";
        var yamlText = note[4..note.IndexOf("---\nBody", StringComparison.Ordinal)];
        var stream = new YamlStream();
        stream.Load(new StringReader(yamlText));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var papers = new List<Paper>();
        var errors = new List<LibraryError>();
        CslYamlParser.ReadItems("note.md", root.Children[new YamlScalarNode("references")], 4, papers, errors);
        Assert.Empty(errors);
        var paper = Assert.Single(papers);
        Assert.Equal("smith2020", note.Substring(paper.KeySpan.Start, paper.KeySpan.Length));
        Assert.Equal("note.md", paper.SourcePath);
        Assert.Equal("A study", paper.Title);
    }

    [Fact]
    public void Pandoc_expected_yaml_front_matter_all_parses()
    {
        var files = Directory.GetFiles(SharedPath("fixtures", "pandoc-citeproc", "pairs"), "*.expected.yaml.md");
        Assert.Equal(123, files.Length);
        int papers = 0;
        foreach (var path in files)
        {
            var text = File.ReadAllText(path);
            var yaml = FrontMatter(text);
            var file = CslYamlParser.Parse(path, yaml);
            Assert.True(file.Errors.Count == 0, $"{Path.GetFileName(path)}: {string.Join("; ", file.Errors)}");
            foreach (var p in file.Papers)
                Assert.Equal(p.Key, yaml.Substring(p.KeySpan.Start, p.KeySpan.Length));
            papers += file.Papers.Count;
        }
        Assert.Equal(PandocPairsItemCount, papers);
    }

    private const int PandocPairsItemCount = 173;

    [Fact]
    public void Pandoc_expected_yaml_decoded_fields()
    {
        var path = SharedPath("fixtures", "pandoc-citeproc", "pairs", "biblatex-aksin.expected.yaml.md");
        var yaml = FrontMatter(File.ReadAllText(path));
        var paper = Assert.Single(CslYamlParser.Parse(path, yaml).Papers);
        Assert.Equal("aksin", paper.Key);
        Assert.Equal("article-journal", paper.Type);
        Assert.Equal(7, paper.Authors.Count);
        Assert.Equal(new PersonName("Aksın", "Özge"), paper.Authors[0]);
        Assert.Equal(new PaperDate(2006), paper.Issued);
        Assert.Equal("J.\u00a0Organomet. Chem.", paper.ContainerTitle);
        Assert.Equal("3027-3036", paper.Fields["page"]);
        Assert.Equal("691", paper.Fields["volume"]);
        Assert.StartsWith("Effect of immobilization on catalytic characteristics of saturated", paper.Title);
    }

    /// <summary>The text between the opening and closing <c>---</c> lines.</summary>
    internal static string FrontMatter(string markdown)
    {
        var text = Normalize(markdown);
        Assert.StartsWith("---\n", text);
        int end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        Assert.True(end > 0, "no closing --- line");
        return text[4..(end + 1)];
    }
}
