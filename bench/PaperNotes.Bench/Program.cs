using System.Diagnostics;
using BenchmarkDotNet.Running;

namespace PaperNotes.Bench;

/// <summary>
/// bench core  [--papers N] [--notes M] [--dir D]: the scenario figures (load, memory, search, check).
/// bench edit  [--papers N]: one keystroke in a 5,000-line note, stage by stage, in process (EditScenario).
/// bench reload [--papers N] [--rounds R]: a library rewritten with one title changed, in process, stage by stage (ReloadScenario).
/// bench suggest [--papers N] [--arxiv PATH]: "did you mean": the index's build and memory, lookups against the scan (SuggestScenario).
/// bench micro: BenchmarkDotNet micro-benchmarks (search, note parsing).
/// bench lsp   [--server PATH]: the language-server scenario over real LSP (see LspScenario).
/// bench csl-items [--server PATH] [--keys N] [--runs R]: the preview's paperNotes/cslItems for a note citing N keys (CslItemsScenario).
/// bench startup [--server PATH] [--runs N]: spawn → initialize, first hover and peak memory on examples/ (StartupScenario).
/// bench warm  [--papers N] [--server PATH] [--runs N]: cold and warm start (library cache) → usable library (WarmStartScenario).
/// bench csl-agreement PANDOC_DIR: our BibTeX → CSL mapping against pandoc's (see CslAgreement).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var command = args.FirstOrDefault() ?? "core";
        int papers = IntOption(args, "--papers", 100_000);
        int notes = IntOption(args, "--notes", 2_000);
        var dir = StringOption(args, "--dir") ?? Path.Combine(RepoRoot(), ".bench", $"ws-{papers}-{notes}-v{WorkspaceGenerator.Version}");
        switch (command)
        {
            case "core":
                EnsureWorkspace(dir, papers, notes);
                return CoreScenario.Run(dir);
            case "lsp":
                EnsureWorkspace(dir, papers, notes);
                return LspScenario.Run(dir, args);
            case "csl-items":
                EnsureWorkspace(dir, papers, notes);
                return CslItemsScenario.Run(dir, args);
            case "edit":
                EnsureWorkspace(dir, papers, notes);
                return EditScenario.Run(dir);
            case "reload":
                EnsureWorkspace(dir, papers, notes);
                return ReloadScenario.Run(dir, args);
            case "suggest":
                return SuggestScenario.Run(papers, StringOption(args, "--arxiv"));
            case "startup":
                return StartupScenario.Run(args);
            case "warm":
                EnsureWorkspace(dir, papers, notes);
                return WarmStartScenario.Run(dir, args);
            case "micro":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Skip(1).ToArray());
                return 0;
            case "csl-agreement":
                return CslAgreement.Run(args);
            case "generate":
                WorkspaceGenerator.Generate(dir, papers, notes);
                Console.WriteLine($"generated {dir}");
                return 0;
            default:
                Console.Error.WriteLine("usage: bench core|lsp|csl-items|edit|reload|suggest|startup|warm|micro|generate|csl-agreement [--papers N] [--notes M] [--dir D]");
                return 2;
        }
    }

    private static void EnsureWorkspace(string dir, int papers, int notes)
    {
        if (File.Exists(Path.Combine(dir, "library", "big.bib"))) return;
        var watch = Stopwatch.StartNew();
        WorkspaceGenerator.Generate(dir, papers, notes);
        Console.WriteLine($"generated {papers:N0} papers and {notes:N0} notes in {dir} ({watch.Elapsed.TotalSeconds:F1} s)");
    }

    public static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "PaperNotes.sln"))) d = d.Parent;
        return d?.FullName ?? Directory.GetCurrentDirectory();
    }

    internal static int IntOption(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    public static string? StringOption(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static (double P50, double P95) Percentiles(List<double> samples)
    {
        samples.Sort();
        return (samples[samples.Count / 2], samples[(int)(samples.Count * 0.95)]);
    }
}
