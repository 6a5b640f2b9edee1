using System.Text.Json;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Core.Tests.Cli;

/// <summary>`papernotes export` end to end on folders on disk: each format, --cited, -o, errors and exit codes.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private string Root => _workspace.Root;

    private string Write(string relative, string text) => _workspace.Write(relative, text);

    public void Dispose() => _workspace.Dispose();

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = TestCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
    }

    /// <summary>Two libraries (a duplicate key, whose first definition in path order wins), two notes, one with its own references.</summary>
    private void Workspace()
    {
        Write(".papernotes.yaml", "");
        Write("lib/a.bib", """
            @article{vaswani2017, title={Attention Is All You Need}, author={Vaswani, Ashish}, journal={NeurIPS}, year=2017}
            @book{dup, title={First Definition}, year=2001}
            @misc{unused2000, title={Nobody Cites This}}
            """);
        Write("lib/b.csl.yaml", """
            references:
            - id: dup
              type: book
              title: Second definition
            - id: he2016
              type: paper-conference
              title: Deep residual learning
              issued: {date-parts: [[2016]]}
            """);
        Write("notes/one.md", "See [@vaswani2017] and @dup.\n");
        Write("notes/two.md", """
            ---
            references:
            - id: local2024
              type: article-journal
              title: Only in this note
            ---
            Cites @he2016 and @local2024.
            """);
    }

    private static List<string> Ids(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();

    [Fact]
    public void Csl_json_lists_every_library_item_in_library_order_with_the_first_definition_of_a_key()
    {
        Workspace();
        var (exit, output, error) = Run("export", Root, "--format", "csl-json");
        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(["vaswani2017", "dup", "unused2000", "he2016"], Ids(output));
        var items = JsonDocument.Parse(output).RootElement;
        Assert.Equal("First definition", items[1].GetProperty("title").GetString());
        Assert.Equal("article-journal", items[0].GetProperty("type").GetString());
        Assert.StartsWith("[\n  {\n    \"URL\"", output.Replace("\"author\"", "\"URL\"")); // pandoc's layout: sorted keys, two spaces
    }

    [Fact]
    public void Csl_yaml_output_reads_back_as_the_same_items()
    {
        Workspace();
        var (exit, output, _) = Run("export", Root, "--format", "csl-yaml");
        Assert.Equal(0, exit);
        Assert.StartsWith("references:\n- id: vaswani2017\n  author:\n  - family: Vaswani\n    given: Ashish\n", output);
        var expected = CslView.Items("a.bib", File.ReadAllText(Path.Combine(Root, "lib/a.bib")), LibraryKind.BibTeX).Select(i => i.ToJson());
        var back = CslView.Items("out.csl.yaml", output, LibraryKind.CslYaml).Take(3).Select(i => i.ToJson());
        Assert.Equal(expected, back);
    }

    [Fact]
    public void Bibtex_with_cited_writes_the_entries_the_notes_cite_including_a_notes_own_references()
    {
        Workspace();
        var (exit, output, error) = Run("export", Root, "--format", "bibtex", "--cited");
        Assert.Equal((0, ""), (exit, error));
        Assert.Equal("""
            @article{vaswani2017,
              author = {Vaswani, Ashish},
              title = {Attention is all you need},
              journaltitle = {NeurIPS},
              date = {2017},
            }

            @book{dup,
              title = {First definition},
              date = {2001},
            }

            @inproceedings{he2016,
              title = {Deep residual learning},
              date = {2016},
            }

            @article{local2024,
              title = {Only in this note},
            }

            """, output);
    }

    [Fact]
    public void Cited_with_a_note_exports_only_what_that_note_cites()
    {
        Workspace();
        var (exit, output, _) = Run("export", Path.Combine(Root, "notes/two.md"), "--format", "csl-json", "--cited");
        Assert.Equal(0, exit);
        Assert.Equal(["he2016", "local2024"], Ids(output));
    }

    [Fact]
    public void A_library_file_given_exports_only_that_file()
    {
        Workspace();
        var (exit, output, _) = Run("export", Path.Combine(Root, "lib/b.csl.yaml"), "--format", "csl-json");
        Assert.Equal(0, exit);
        Assert.Equal(["dup", "he2016"], Ids(output));
    }

    [Fact]
    public void Output_file_is_replaced_atomically_and_nothing_goes_to_stdout()
    {
        Workspace();
        var target = Write("out/refs.bib", "old content\n");
        var (exit, output, error) = Run("export", Root, "--format", "bibtex", "--cited", "-o", target);
        Assert.Equal((0, "", ""), (exit, output, error));
        var written = File.ReadAllText(target);
        Assert.StartsWith("@article{vaswani2017,\n", written);
        Assert.Equal(4, CslView.Items(target, written, LibraryKind.BibTeX).Count);
        Assert.Equal(["refs.bib"], Directory.GetFiles(Path.Combine(Root, "out")).Select(Path.GetFileName)); // no temp file left
    }

    [Fact]
    public void An_output_that_cannot_be_written_exits_1_with_one_line()
    {
        Workspace();
        var target = Path.Combine(Root, "missing-folder", "refs.bib");
        var (exit, output, error) = Run("export", Root, "--format", "bibtex", "-o", target);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"papernotes export: cannot write {target}: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Unknown_cited_key_is_an_error_at_its_position_and_the_rest_is_still_written()
    {
        Write(".papernotes.yaml", "");
        Write("refs.bib", "@misc{known, title={Known}}\n");
        Write("n.md", "Known @known.\nTypo [@knwon].\n");
        var (exit, output, error) = Run("export", Root, "--format", "csl-json", "--cited");
        Assert.Equal(1, exit);
        Assert.Equal("n.md:2:8: error: unknown citation key 'knwon' [unknown-citation]\n", error);
        Assert.Equal(["known"], Ids(output));
    }

    [Fact]
    public void A_broken_library_entry_is_an_error_at_its_position_and_the_good_entries_are_exported()
    {
        Write(".papernotes.yaml", "");
        Write("refs.bib", "@misc{good, title={Good}}\n@misc{broken, title={B}\n@misc{after, title={After}}\n");
        var (exit, output, error) = Run("export", Root, "--format", "csl-json");
        Assert.Equal(1, exit);
        Assert.Equal("refs.bib:2:24: error: unclosed entry: expected '}' [library-syntax]\n", error);
        Assert.Contains("good", Ids(output));
        Assert.Contains("after", Ids(output));
    }

    [Fact]
    public void A_key_bibtex_cannot_hold_is_an_error_and_the_entry_is_left_out()
    {
        Write(".papernotes.yaml", "");
        Write("refs.csl.json", """[{"id": "fine", "type": "book", "title": "Fine"}, {"id": "two words", "type": "book", "title": "Bad"}]""");
        var (exit, output, error) = Run("export", Root, "--format", "bibtex");
        Assert.Equal(1, exit);
        Assert.StartsWith("refs.csl.json:1:59: error: key 'two words' cannot be a BibTeX key", error);
        Assert.Equal("@book{fine,\n  title = {Fine},\n}\n", output);
    }

    [Theory]
    [InlineData("--format xml", "Argument 'xml' not recognized")]
    [InlineData("", "Option '--format' is required")]
    [InlineData("/no/such/path --format bibtex", "no such file or directory: /no/such/path")]
    [InlineData("--format bibtex --bogus", "--bogus")]
    [InlineData("ROOT ROOT/lib --format bibtex", "one workspace folder at a time")]
    [InlineData("ROOT/readme.txt --format bibtex", "not a note (.md) or library file")]
    public void Usage_errors_exit_2_with_one_line_and_no_stack_trace(string arguments, string expected)
    {
        Workspace();
        Write("readme.txt", "not a library\n");
        var args = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Replace("ROOT", Root)).Prepend("export");
        var (exit, output, error) = Run([.. args]);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
