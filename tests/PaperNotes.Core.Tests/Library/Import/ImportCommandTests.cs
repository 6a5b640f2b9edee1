using PaperNotes.Core.Library.Csl;
using PaperNotes.Core.Tests.Library.Csl;
using PaperNotes.Server.Cli;

namespace PaperNotes.Core.Tests.Library.Import;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("papernotes-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Exit, string Out, string Err) Run(string input, int? year, string? output)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["import", "daily-papers", input, .. year is { } y ? ["--year", y.ToString(System.Globalization.CultureInfo.InvariantCulture)] : Array.Empty<string>(),
            .. output is null ? Array.Empty<string>() : ["-o", output]];
        int exit = Cli.TestCli.Published ? Cli.TestCli.Run(args, stdout, stderr) : ImportCommand.Run(input, year, output, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Writes_yaml_to_stdout_without_an_output_path()
    {
        var (exit, stdout, stderr) = Run(CslTestSupport.SharedPath("seeds", "daily-papers-self.txt"), 2026, null);
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.StartsWith("# Imported from ", stdout);
        var file = CslYamlParser.Parse("out.csl.yaml", stdout);
        Assert.Empty(file.Errors);
        Assert.Equal(46, file.Papers.Count);
        Assert.Contains(file.Papers, p => p.Key == "teaching2026");
    }

    [Fact]
    public void Writes_the_output_file_and_replaces_an_old_one()
    {
        var output = Path.Combine(_dir, "papers.csl.yaml");
        File.WriteAllText(output, "old");
        var (exit, stdout, _) = Run(CslTestSupport.SharedPath("seeds", "daily-papers-self.txt"), 2026, output);
        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Equal(46, CslYamlParser.Parse(output, File.ReadAllText(output)).Papers.Count);
        Assert.Equal(["papers.csl.yaml"], Directory.GetFiles(_dir).Select(Path.GetFileName)); // no temp file left
    }

    [Fact]
    public void Failed_import_leaves_the_existing_output_untouched()
    {
        var input = Path.Combine(_dir, "refs.bib");
        File.WriteAllText(input, "@article{a, title={A}}\n");
        var output = Path.Combine(_dir, "papers.csl.yaml");
        File.WriteAllText(output, "precious");
        var (exit, _, stderr) = Run(input, null, output);
        Assert.Equal(1, exit);
        Assert.Contains("refs.bib", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Equal("precious", File.ReadAllText(output));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
    }

    [Fact]
    public void Missing_input_is_one_line_on_stderr_and_exit_1()
    {
        var output = Path.Combine(_dir, "out.yaml");
        var (exit, stdout, stderr) = Run(Path.Combine(_dir, "nope.txt"), null, output);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("papernotes: cannot read ", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Unwritable_output_folder_fails_cleanly()
    {
        var output = Path.Combine(_dir, "missing-folder", "out.yaml");
        var (exit, _, stderr) = Run(CslTestSupport.SharedPath("seeds", "daily-papers-self.txt"), 2026, output);
        Assert.Equal(1, exit);
        Assert.StartsWith("papernotes: cannot write ", stderr);
    }
}
