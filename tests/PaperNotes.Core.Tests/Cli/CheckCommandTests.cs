using System.Text.Json;
using PaperNotes.Server.Cli;

namespace PaperNotes.Core.Tests.Cli;

/// <summary>`papernotes check` end to end on folders on disk: output format, order and exit codes.</summary>
public sealed class CheckCommandTests : IDisposable
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
        return (exit, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString());
    }

    [Fact]
    public void Text_output_lists_findings_sorted_by_path_and_position_then_a_summary()
    {
        Write("refs.bib", "@article{a2020, title={A}}\n@article{b2021, title={B}\n@article{c2022, title={C}}\n");
        Write("z.md", "Cites @zzz and [@a2020].\n");
        Write("notes/m.md", "---\nbibliography: gone.bib\n---\nSee [[nowhere]] and @a202.\n");
        Write("node_modules/x/ignored.md", "@ignored\n");
        Write(".hidden/ignored.md", "@ignored\n");
        var (exit, output, _) = Run("check", Root);
        Assert.Equal(1, exit);
        Assert.Equal("""
            notes/m.md:2:15: error: bibliography file 'gone.bib' not found [missing-bibliography]
            notes/m.md:4:7: error: broken link: no note named 'nowhere' [broken-link]
            notes/m.md:4:22: error: unknown citation key 'a202'; did you mean 'a2020'? [unknown-citation]
            refs.bib:2:26: error: unclosed entry: expected '}' [library-syntax]
            z.md:1:8: error: unknown citation key 'zzz' [unknown-citation]
            5 errors, 0 warnings in 2 notes and 1 library file (3 papers)

            """, output);
    }

    [Fact]
    public void Unused_lists_entries_no_note_cites_in_libraries_of_any_size_and_keeps_exit_0()
    {
        Write("refs.bib", "@article{cited2020, title={A}}\n@article{lonely2021, title={B}}\n");
        Write("n.md", "Cites @cited2020.\n");
        var (plain, plainOutput, _) = Run("check", Root);
        Assert.Equal(0, plain);
        Assert.Equal("0 errors, 0 warnings in 1 note and 1 library file (2 papers)\n", plainOutput);
        var (exit, output, _) = Run("check", Root, "--unused");
        Assert.Equal(0, exit);
        Assert.Equal("""
            refs.bib:2:1: hint: 'lonely2021' is not cited by any note [unused-entry]
            0 errors, 0 warnings, 1 unused entry in 1 note and 1 library file (2 papers)

            """, output);
    }

    [Fact]
    public void Json_output_has_one_object_per_finding_with_ranges()
    {
        Write("n.md", "Unknown @nokey here.\n");
        var (exit, output, _) = Run("check", Root, "--format", "json");
        Assert.Equal(1, exit);
        var finding = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal("n.md", finding.GetProperty("path").GetString());
        Assert.Equal((1, 10, 1, 15), (finding.GetProperty("line").GetInt32(), finding.GetProperty("column").GetInt32(),
            finding.GetProperty("endLine").GetInt32(), finding.GetProperty("endColumn").GetInt32()));
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("unknown-citation", finding.GetProperty("code").GetString());
        Assert.Equal("unknown citation key 'nokey'", finding.GetProperty("message").GetString());
    }

    [Fact]
    public void Warnings_alone_exit_0()
    {
        Write("a.bib", "@misc{dup, title={One}}\n");
        Write("b.bib", "@misc{dup, title={Two}}\n");
        Write("n.md", "Cites @dup.\n");
        var (exit, output, _) = Run("check", Root);
        Assert.Equal(0, exit);
        Assert.Contains("a.bib:1:7: warning: duplicate key 'dup': also defined at b.bib:1; this definition is used [duplicate-key]", output);
        Assert.Contains("b.bib:1:7: warning: duplicate key 'dup': already defined at a.bib:1, which is used [duplicate-key]", output);
        Assert.EndsWith("0 errors, 2 warnings in 1 note and 2 library files (1 paper)\n", output);
    }

    [Fact]
    public void A_clean_workspace_exits_0_and_papernotes_yaml_chooses_the_files()
    {
        Write(".papernotes.yaml", "library: [lib/*.bib]\nnotes: [docs/**/*.md]\n");
        Write("lib/r.bib", "@misc{k1, title={T}}\n");
        Write("other.bib", "@misc{broken\n");
        Write("docs/a/n.md", "Cites @k1.\n");
        Write("outside.md", "Cites @unknown.\n");
        var (exit, output, _) = Run("check", Root);
        Assert.Equal(0, exit);
        Assert.Equal("0 errors, 0 warnings in 1 note and 1 library file (1 paper)\n", output);
    }

    [Theory]
    [InlineData("check", "/no/such/dir", "no such directory: /no/such/dir")]
    [InlineData("check", "--bogus", "unknown option '--bogus'")]
    [InlineData("frobnicate", "", "papernotes:")]
    public void Usage_errors_exit_2_with_one_line_and_no_stack_trace(string command, string argument, string expected)
    {
        var args = argument.Length == 0 ? new[] { command } : new[] { command, argument };
        var (exit, output, error) = Run(args);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Format_must_be_text_or_json()
    {
        Directory.CreateDirectory(Root);
        var (exit, _, error) = Run("check", Root, "--format", "xml");
        Assert.Equal(2, exit);
        Assert.Contains("xml", error);
    }

    [Fact]
    public void A_big_library_is_checked_alike_from_the_cache_and_without_it()
    {
        // Just over the size from which a BibTeX file streams in and gets an image; one broken entry at the end.
        var sb = new System.Text.StringBuilder();
        for (int i = 0; sb.Length <= PaperNotes.Server.Workspace.DiskLoader.StreamFromBytes; i++)
            sb.Append($"@article{{p{i}, title = {{Title {i}}}, abstract = {{{new string('x', 900)}}}}}\n");
        Write("refs.bib", sb.Append("@article{broken, title = {B}\n").ToString());
        Write("n.md", "Cites [@p7] and [@p8x].\n");
        var cache = new PaperNotes.Server.Workspace.LibraryCache(Path.Combine(Root, ".cache-home"));
        var image = cache.ImagePath(Path.Combine(Root, "refs.bib"));

        var (exit, output, _) = Run("check", Root, "--no-cache");
        Assert.Equal(1, exit);
        Assert.Contains("unknown citation key 'p8x'", output);
        Assert.Contains("refs.bib:", output);

        var cold = new StringWriter();
        Assert.Equal(1, CheckCommand.Run(Root, OutputFormat.Text, cold, TextWriter.Null, cache: cache));
        Assert.True(File.Exists(image)); // the command line writes it before it goes on
        var warm = new StringWriter();
        Assert.Equal(1, CheckCommand.Run(Root, OutputFormat.Text, warm, TextWriter.Null, cache: cache));
        Assert.Equal(output, cold.ToString().Replace("\r\n", "\n"));
        Assert.Equal(output, warm.ToString().Replace("\r\n", "\n"));
        Assert.Equal(PaperNotes.Server.Workspace.CacheLookup.Hit,
            cache.TryLoad(Path.Combine(Root, "refs.bib"), new FileInfo(Path.Combine(Root, "refs.bib")), null).Outcome);
    }
}
