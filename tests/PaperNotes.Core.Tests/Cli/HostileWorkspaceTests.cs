using System.Text;
using PaperNotes.Server.Cli;

namespace PaperNotes.Core.Tests.Cli;

/// <summary>Runs alone: it measures the memory `check` allocates, which tests running beside it would add to.</summary>
[CollectionDefinition(nameof(HostileWorkspaceTests), DisableParallelization = true)]
public sealed class HostileWorkspaceCollection;

/// <summary>
/// `papernotes check` on a workspace of hostile files (bombs, deep nesting, huge lines, binary files, links to
/// devices and loops) next to one good note: each hostile file gets an error at its fault, the good citation
/// resolves, and the whole run stays bounded.
/// </summary>
[Collection(nameof(HostileWorkspaceTests))]
public sealed class HostileWorkspaceTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private string Root => _workspace.Root;

    private string Write(string relative, string text) => _workspace.Write(relative, text);

    public void Dispose() => _workspace.Dispose();

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    /// <summary>Nine levels of nine aliases: 9^9 values from 1 KB.</summary>
    private static string AliasBomb(string indent) =>
        indent + "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + string.Concat(Enumerable.Range(1, 8).Select(i => $"{indent}x{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n"));

    private void WriteHostileFiles()
    {
        Write("refs.bib", "@article{good2020, title = {Good}}\n");
        Write("notes/good.md", "Cites [@good2020].\n");

        Write("bombs/aliases.csl.yaml", "- id: bomb\n" + AliasBomb("  "));
        Write("bombs/aliases.md", "---\n" + AliasBomb("") + "---\nBody.\n");
        Write("bombs/macros.bib", "@string{s0 = \"lol\"}\n"
            + string.Concat(Enumerable.Range(0, 25).Select(i => $"@string{{s{i + 1} = s{i} # s{i} # s{i}}}\n")) + "@misc{boom, title = s25}\n");

        Write("deep/deep.csl.json", "[" + new string('[', 100_000) + new string(']', 100_000) + "]");
        Write("deep/deep.csl.yaml", "references: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        Write("deep/quotes.md", new string('>', 100_000) + " deep\n");
        Write("deep/lists.md", Repeat("- ", 100_000) + "a\n");
        Write("deep/brackets.md", new string('[', 100_000) + "\n");
        Write("deep/braces.bib", "@misc{braces, title = {" + new string('{', 100_000) + new string('}', 100_000) + "}}\n");
        Write("deep/accents.bib", "@misc{accents, title = {" + Repeat("\\'{", 100_000) + new string('}', 100_000) + "}}\n");

        Write("big/line.md", Repeat("lorem ipsum ", 1_700_000) + "\n"); // 20 MB on one line
        Write("big/line.bib", "@misc{bigline, title = {" + new string('x', 20_000_000) + "}}\n");
        Write("big/line.csl.json", "[{\"id\": \"bigjson\", \"title\": \"" + new string('x', 20_000_000) + "\"}]");
        using (var sparse = File.Create(Path.Combine(Root, "big/huge.bib"))) sparse.SetLength(300L << 20); // no data written

        var random = new Random(1);
        var bytes = new byte[100_000];
        random.NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(Root, "binary.bib"), bytes);
        random.NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(Root, "binary.md"), bytes);

        Write("many-bibliographies.md", "---\nbibliography: [" + string.Join(", ", Enumerable.Range(0, 5000).Select(i => $"b{i}.bib")) + "]\n---\n");

        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(Path.Combine(Root, "links"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "links/up"), ".."); // a folder loop
        File.CreateSymbolicLink(Path.Combine(Root, "links/loop1.md"), "loop2.md"); // a file loop
        File.CreateSymbolicLink(Path.Combine(Root, "links/loop2.md"), "loop1.md");
        File.CreateSymbolicLink(Path.Combine(Root, "links/zero.bib"), "/dev/zero"); // endless
        File.CreateSymbolicLink(Path.Combine(Root, "links/stdin.md"), "/dev/stdin"); // in the server: the protocol
        File.CreateSymbolicLink(Path.Combine(Root, "links/gone.bib"), "nowhere.bib");
    }

    [Fact]
    public async Task Check_on_hostile_files_gives_each_an_error_at_its_fault_and_the_good_note_still_resolves()
    {
        WriteHostileFiles();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stdout = new StringWriter();
        // The timeout only guards against hangs (files here took from 4 s to minutes, or crashed, before the bounds).
        int exit = await Task.Run(() => TestCli.Run(["check", Root], stdout, new StringWriter())).WaitAsync(TimeSpan.FromSeconds(60));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var output = stdout.ToString().Replace("\r\n", "\n");

        Assert.Equal(CheckCommand.ExitErrors, exit);
        Assert.DoesNotContain("notes/good.md", output); // [@good2020] resolves
        Assert.DoesNotContain("refs.bib", output);
        string[] expected =
        [
            "bombs/aliases.csl.yaml:6:12: error: too many YAML aliases", // the first *a3
            "bombs/aliases.md:6:10: error: too many YAML aliases",
            "bombs/macros.bib:13:21: error: 's12' is longer than 1,048,576 characters",
            "deep/deep.csl.json:1:65: error: Invalid JSON: The maximum configured depth of 64 has been exceeded",
            "deep/deep.csl.yaml:1:76: error: Invalid YAML: nested more than 64 levels deep",
            "deep/quotes.md:1:33: error: more than 32 nested quotes and lists",
            "deep/lists.md:1:65: error: more than 32 nested quotes and lists",
            "deep/brackets.md:1:4097: error: more than 4,096 unclosed brackets and emphasis markers in one paragraph",
            "deep/braces.bib:1:88: error: braces in 'title' nested more than 64 levels deep",
            "deep/accents.bib:1:219: error: braces in 'title' nested more than 64 levels deep",
            "big/huge.bib:1:1: error: could not read file: the file is 300 MB; files over 256 MB are not read",
            "many-bibliographies.md:2:906: error: more than 100 bibliography files: this one and the rest are not loaded",
        ];
        foreach (var line in expected) Assert.Contains("\n" + line, "\n" + output);
        // Random bytes: one error each, at the first NUL (wherever that is), instead of findings about garbage.
        Assert.Contains("error: binary file (a NUL character here), not read", Assert.Single(output.Split('\n'), l => l.StartsWith("binary.bib:", StringComparison.Ordinal)));
        Assert.Contains("error: binary file (a NUL character here), not read", Assert.Single(output.Split('\n'), l => l.StartsWith("binary.md:", StringComparison.Ordinal)));
        // The first 100 are looked for (and not found), the rest are not.
        Assert.Equal(101, output.Split('\n').Count(l => l.StartsWith("many-bibliographies.md:", StringComparison.Ordinal)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Contains("links/loop1.md:1:1: error: could not read file: Too many levels of symbolic links", output);
            Assert.DoesNotContain("links/up/", output); // the folder loop is not followed
            Assert.DoesNotContain("zero.bib", output); // a device reads as empty
            Assert.DoesNotContain("stdin.md", output);
        }
        // Generous: the bombs alone allocated 6.8 GB (or ran out of memory) before the bounds.
        if (!TestCli.Published) Assert.True(allocated < 3L << 30, $"check allocated {allocated >> 20} MB"); // measured in process only
    }

    [Fact]
    public void Notes_naming_over_1000_bibliographies_outside_the_library_globs_load_1000_and_the_rest_are_errors()
    {
        for (int n = 0; n < 11; n++)
        {
            var names = Enumerable.Range(100 * n, 100).Select(i => $"ext/b{i}.json").ToList();
            foreach (var name in names) Write(name, "[]");
            Write($"n{n}.md", "---\nbibliography: [" + string.Join(", ", names) + "]\n---\n");
        }
        var stdout = new StringWriter();
        Assert.Equal(CheckCommand.ExitErrors, TestCli.Run(["check", Root], stdout, new StringWriter()));
        var lines = stdout.ToString().Replace("\r\n", "\n").Split('\n');
        Assert.Equal(100, lines.Count(l => l.StartsWith("ext/b", StringComparison.Ordinal)
            && l.EndsWith(":1:1: error: not read: notes name more than 1000 bibliography files outside the library folders [library-syntax]", StringComparison.Ordinal)));
        Assert.Equal("100 errors, 0 warnings in 11 notes and 1100 library files (0 papers)", lines[^2]); // and no note says "not found"
    }
}
