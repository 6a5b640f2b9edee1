using PaperNotes.Core.Library.Csl;
using static PaperNotes.Core.Tests.Library.Csl.CslTestSupport;

namespace PaperNotes.Core.Tests.Library.Csl;

public class CslJsonParserTests
{
    private static void Check(string json, string expected)
    {
        var file = CslJsonParser.Parse("refs.csl.json", json);
        Assert.Equal(Normalize(expected), Dump(file, json));
    }

    [Fact]
    public void Zotero_item_maps_every_known_field()
    {
        Check("""
            [{"id": "vaswani2017", "type": "paper-conference", "title": "Attention Is <i>All</i> You Need",
              "author": [{"family": "Vaswani", "given": "Ashish"}, {"literal": "Google Brain"}],
              "editor": [{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van", "suffix": "Jr."}],
              "issued": {"date-parts": [[2017, 12, 4]]}, "container-title": "NeurIPS", "publisher": "Curran",
              "abstract": "The dominant models", "DOI": "10.5555/3295222", "URL": "https://arxiv.org/abs/1706.03762",
              "volume": 30, "page": "5998-6008", "accessed": {"date-parts": [["2024", "1", "5"]]},
              "translator": [{"family": "Doe", "given": "J."}],
              "custom": {"code": "https://github.com/x/y", "organization": "Google", "upvotes": 12}}]
            """, """
            PAPER@1..719 key@9..20 "vaswani2017"
              type: paper-conference
              title: Attention Is All You Need
              author: [Vaswani|Ashish|||] [||Google Brain||]
              editor: [Beethoven|Ludwig||van|Jr.]
              issued: 2017/12/4/
              container-title: NeurIPS
              publisher: Curran
              abstract: The dominant models
              doi: 10.5555/3295222
              url: https://arxiv.org/abs/1706.03762
              code: https://github.com/x/y
              organization: Google
              .volume: 30
              .page: 5998-6008
              .accessed: 2024-01-05
              .translator: Doe, J.
              .custom.upvotes: 12

            """);
    }

    [Fact]
    public void Numeric_id_and_string_date_parts_are_read()
    {
        Check("""[{"id": 42, "issued": {"date-parts": [["2004", "05"]]}, "title": "<span class=\"nocase\">iPhone</span> apps"}]""", """
            PAPER@1..109 key@8..10 "42"
              title: iPhone apps
              issued: 2004/5//

            """);
    }

    [Fact]
    public void Dates_raw_literal_season_and_ranges()
    {
        Check("""
            [{"id": "a", "issued": {"date-parts": [[1999, 3], [2001, 4]]}},
             {"id": "b", "issued": {"raw": "2005-11-02"}},
             {"id": "c", "issued": {"literal": "(in press)"}},
             {"id": "d", "issued": {"date-parts": [[2000]], "season": 3}},
             {"id": "e", "issued": {"date-parts": [["1999", "21"]]}},
             {"id": "f", "issued": {"raw": "May 2004"}}]
            """, """
            PAPER@1..62 key@9..10 "a"
              issued: 1999/3//
            PAPER@65..109 key@73..74 "b"
              issued: 2005/11/2/
            PAPER@112..160 key@120..121 "c"
              issued: ///(in press)
            PAPER@163..223 key@171..172 "d"
              issued: 2000///Autumn
            PAPER@226..281 key@234..235 "e"
              issued: 1999///Spring
            PAPER@284..326 key@292..293 "f"
              issued: 2004/5//May 2004

            """);
    }

    [Fact]
    public void Spans_are_utf16_offsets_after_non_ascii_text_and_crlf()
    {
        // "é" is 2 UTF-8 bytes, "😀" 4 bytes / 2 chars, "中" 3 bytes: byte offsets would drift.
        var json = "[\r\n {\"title\": \"Café 😀 中文\", \"id\": \"müller2020\"},\r\n {\"id\": \"b😀\"}\r\n]";
        var file = CslJsonParser.Parse("x.csl.json", json);
        Assert.Equal(2, file.Papers.Count);
        Assert.Equal("müller2020", json.Substring(file.Papers[0].KeySpan.Start, file.Papers[0].KeySpan.Length));
        Assert.Equal("b😀", json.Substring(file.Papers[1].KeySpan.Start, file.Papers[1].KeySpan.Length));
        var entry = file.Papers[0].EntrySpan;
        Assert.Equal("{\"title\": \"Café 😀 中文\", \"id\": \"müller2020\"}", json.Substring(entry.Start, entry.Length));
        Assert.Equal("Café 😀 中文", file.Papers[0].Title);
    }

    [Fact]
    public void Item_without_id_is_an_error_and_others_still_load()
    {
        Check("""[{"id": "a"}, {"title": "No id"}, {"id": null}, {"id": ""}, "junk", {"id": "b"}]""", """
            PAPER@1..12 key@9..10 "a"
            PAPER@68..79 key@76..77 "b"
            ERROR@14..15 "CSL item has no "id"; it is skipped."
            ERROR@34..35 "CSL item has no "id"; it is skipped."
            ERROR@55..57 "CSL item has no "id"; it is skipped."
            ERROR@60..61 "A CSL item must be an object with an "id"."

            """);
    }

    [Fact]
    public void Malformed_json_is_one_error_at_its_place_and_earlier_items_survive()
    {
        var json = "[{\"id\": \"ok\", \"title\": \"Ünïcode\"},\n {\"id\": \"bad\" \"title\": \"x\"}]";
        var file = CslJsonParser.Parse("x.csl.json", json);
        Assert.Equal(["ok"], file.Papers.Select(p => p.Key));
        var error = Assert.Single(file.Errors);
        Assert.Equal(json.IndexOf("\"title\": \"x\"", StringComparison.Ordinal), error.Span.Start);
        Assert.StartsWith("Invalid JSON: ", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
    }

    [Theory]
    [InlineData("[{\"id\": \"a\"}", 12)] // unterminated array: error at the end
    [InlineData("{\"id\": \"a\"}", 0)] // a single item, not a list
    [InlineData("[{\"id\": \"a\"}] trailing", 14)]
    [InlineData("[{\"id\": \"a\", \"title\": \"unterminated}]", 37)] // the reader notices at the end
    public void Broken_json_never_throws(string json, int errorStart)
    {
        var file = CslJsonParser.Parse("x.csl.json", json);
        Assert.Equal(errorStart, Assert.Single(file.Errors).Span.Start);
    }

    [Fact]
    public void Json_nested_100k_deep_is_one_error_at_the_65th_level_and_earlier_items_survive()
    {
        var json = "[{\"id\": \"a\"}, {\"id\": \"deep\", \"note\": " + new string('[', 100_000) + new string(']', 100_000) + "}]";
        var file = CslJsonParser.Parse("refs.csl.json", json);
        Assert.Equal("a", Assert.Single(file.Papers).Key);
        var error = Assert.Single(file.Errors);
        Assert.Equal(json.IndexOf('[', 1) + 62, error.Span.Start); // the array and the item are two levels of System.Text.Json's 64
        Assert.StartsWith("Invalid JSON: The maximum configured depth of 64 has been exceeded", error.Message);
    }

    [Fact]
    public void Object_with_items_array_is_accepted_and_bom_is_skipped()
    {
        var json = "\uFEFF{\"version\": 1, \"items\": [{\"id\": \"k\"}]}";
        var file = CslJsonParser.Parse("x.csl.json", json);
        Assert.Empty(file.Errors);
        var span = Assert.Single(file.Papers).KeySpan;
        Assert.Equal("k", json.Substring(span.Start, span.Length));
    }

    [Fact]
    public void Empty_text_has_no_papers_and_no_errors()
    {
        var file = CslJsonParser.Parse("x.csl.json", "  \n");
        Assert.Empty(file.Papers);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void Citeproc_fixtures_all_parse_with_the_documented_item_count()
    {
        var folder = SharedPath("fixtures", "csl-json", "citeproc-inputs");
        var files = Directory.GetFiles(folder, "*.json");
        Assert.Equal(916, files.Length);
        int papers = 0, errors = 0;
        foreach (var path in files)
        {
            var text = File.ReadAllText(path);
            var file = CslJsonParser.Parse(path, text);
            foreach (var p in file.Papers)
                Assert.Equal(p.Key, text.Substring(p.KeySpan.Start, p.KeySpan.Length));
            Assert.All(file.Errors, e => Assert.Contains("no \"id\"", e.Message));
            papers += file.Papers.Count;
            errors += file.Errors.Count;
        }
        // README: 1,968 items; 4 of them have no id (flipflop_StartingApostrophe, ...), by design of those tests.
        Assert.Equal(1964, papers);
        Assert.Equal(4, errors);
    }

    [Theory]
    [InlineData("csl__date_SeasonRange1.json", "ITEM-1", "issued: 1999///Spring")]
    [InlineData("csl__date_InPress.json", "ITEM-1", "issued: ///(in press)")]
    [InlineData("csl__date_Uncertain.json", "ITEM-1", "issued: 2005/12/15/")]
    public void Citeproc_fixture_items_field_by_field(string name, string key, string expectedLine)
    {
        var path = SharedPath("fixtures", "csl-json", "citeproc-inputs", name);
        var text = File.ReadAllText(path);
        var paper = Assert.Single(CslJsonParser.Parse(path, text).Papers, p => p.Key == key);
        var sb = new System.Text.StringBuilder();
        DumpPaper(sb, paper);
        Assert.Contains("  " + expectedLine + "\n", sb.ToString());
    }
}
