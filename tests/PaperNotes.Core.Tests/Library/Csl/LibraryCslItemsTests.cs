using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Library.Csl;
using PaperNotes.Core.Tests.Library.BibTeX;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Library.Csl;

/// <summary>The CSL items of a library file read back from the text the file keeps (entry by entry through windows for
/// a lazily decoded BibTeX file) are the items of its whole text, <see cref="CslView.Items"/>: whether the file was
/// read whole or streamed in (a compressed text cut into small blocks), for every paper or a few in any order.</summary>
public class LibraryCslItemsTests
{
    private static List<string> Json(IEnumerable<CslItem> items) => [.. items.Select(i => i.ToJson())];

    private static List<string> Compact(IEnumerable<CslItem> items) =>
        [.. items.Select(i => System.Text.Json.Nodes.JsonNode.Parse(i.ToJson())![0]!.ToJsonString())];

    private static LibraryFile Streamed(string path, string text, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        int segment = 1 + random.Next(4000);
        var parser = new BibStreamParser(path, bytes.Length, null, segment, 1 + random.Next(2000), random.Next(2) == 0 ? 0 : CompressingText.MaxBytes);
        for (int i = 0; i < bytes.Length;)
        {
            int n = Math.Min(bytes.Length - i, 1 + random.Next(segment * 2));
            parser.Append(bytes.AsSpan(i, n));
            i += n;
        }
        return parser.Finish();
    }

    private static void AssertItemsOfTheWholeText(string path, string text, LibraryFile file, Random random)
    {
        var expected = Json(CslView.Items(path, text, LibraryKind.BibTeX));
        Assert.Equal(expected, Json(LibraryCslItems.Of(file)));
        Assert.Equal(expected, Json(LibraryCslItems.For(file, file.Papers)));
        // A few papers in a random order (as a note cites them) give those papers' items in that order.
        var some = Enumerable.Range(0, file.Papers.Count).OrderBy(_ => random.Next()).Take(random.Next(1, 8)).ToList();
        Assert.Equal(some.Select(i => expected[i]), Json(LibraryCslItems.For(file, [.. some.Select(i => file.Papers[i])])));
    }

    [Fact]
    public void Every_fixture_bib_file_read_whole_or_streamed_gives_the_items_of_its_whole_text()
    {
        var files = BibTestSupport.FixtureBibFiles();
        Assert.True(files.Count > 1300);
        var random = new Random(11);
        int lazy = 0, inheriting = 0;
        foreach (var path in files)
        {
            var text = BibTestSupport.ReadUtf8(path);
            var whole = BibParser.Parse(path, text);
            var streamed = Streamed(path, text, random);
            Assert.IsType<StringText>(whole.Source!.Text);
            Assert.True(streamed.Source!.Text is CompressedText or CompressingText);
            AssertItemsOfTheWholeText(path, text, whole, random);
            AssertItemsOfTheWholeText(path, text, streamed, random);
            if (whole.Papers is LazyBibPapers) lazy++;
            else if (whole.Papers.Count > 0) inheriting++;
        }
        // Both ways of reading are exercised: entries re-read alone, and files whose entries inherit read whole.
        Assert.True(lazy > 1000 && inheriting > 10, $"lazy {lazy}, inheriting {inheriting}");
    }

    [Fact]
    public void Items_come_from_the_files_own_text_not_from_a_newer_one()
    {
        var text = "@string{j = {Journal}}\n@article{a, title={First}, journal=j, year=2001}\n@article{b, title={Second Paper}, journal=j, year=2002}\n";
        var file = BibParser.Parse("refs.bib", text);
        var item = LibraryCslItems.For(file, [file.Papers[1]])[0];
        Assert.Equal("b", item.Id);
        Assert.Equal("Second paper", item.Text("title"));
        Assert.Equal("Journal", item.Text("container-title"));
    }

    [Fact]
    public void Csl_json_and_yaml_items_keep_their_own_variables()
    {
        var json = """[{"id": "x", "type": "book", "title": "T", "custom": {"code": "https://g"}}, {"id": "y", "title": "U"}]""";
        var file = LibraryParser.Parse("refs.csl.json", json, LibraryKind.CslJson);
        Assert.Equal(Json(CslView.Items("refs.csl.json", json, LibraryKind.CslJson)), Json(LibraryCslItems.Of(file)));
        Assert.Equal(["""{"id":"y","title":"U"}""", """{"custom":{"code":"https://g"},"id":"x","title":"T","type":"book"}"""],
            Compact(LibraryCslItems.For(file, [file.Papers[1], file.Papers[0]])));
        var yaml = "references:\n- id: z\n  type: book\n  title: V\n  note: kept\n";
        var yamlFile = LibraryParser.Parse("refs.csl.yaml", yaml, LibraryKind.CslYaml);
        Assert.Equal(Json(CslView.Items("refs.csl.yaml", yaml, LibraryKind.CslYaml)), Json(LibraryCslItems.For(yamlFile, yamlFile.Papers)));
    }

    [Fact]
    public void A_file_that_was_not_read_maps_its_papers_from_the_decoded_papers_and_exports_nothing()
    {
        var paper = new Paper { Key = "k", Type = "book", Title = "T", SourcePath = "refs.bib", Authors = [new PersonName("Doe", "J.")] };
        var file = new LibraryFile("refs.bib", [paper], [], LineIndex.Create(""));
        Assert.Equal(["""{"author":[{"family":"Doe","given":"J."}],"id":"k","title":"T","type":"book"}"""], Compact(LibraryCslItems.For(file, [paper])));
        Assert.Empty(LibraryCslItems.Of(file));
    }

    [Fact]
    public void A_big_text_is_kept_compressed_and_reads_back_the_same()
    {
        // Over Keep's threshold, with a surrogate pair across the first 1 M-character piece.
        var sb = new StringBuilder(SourceText.CompressFromLength + 10);
        sb.Append('x', (1 << 20) - 1).Append("😀");
        while (sb.Length < SourceText.CompressFromLength) sb.Append("@misc{k, title = {Ünïcödé 李}}\n");
        var text = sb.ToString();
        var kept = SourceText.Keep(text);
        Assert.IsType<CompressedText>(kept);
        Assert.Equal(text, kept.WindowOver(0, kept.Length).Window);
        Assert.IsType<StringText>(SourceText.Keep("small"));
    }
}
