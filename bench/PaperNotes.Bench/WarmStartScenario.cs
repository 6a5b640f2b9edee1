using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperNotes.Bench;

/// <summary>
/// bench warm [--papers N] [--server PATH] [--runs N] [--cold-runs N]: spawn → usable library (the first hover on a citation answered
/// with the paper) on the generated workspace, cold and warm. A fresh cache home (XDG_CACHE_HOME) per invocation: the
/// first start reads the library and writes its images (the library's and its search index's), each further start
/// reads them. Also spawn → initialize answered, spawn → search ready (the first completion by a title word), and the
/// peak RSS after that completion. The figures are median (min–max) over the runs; --cold-runs (default: --runs) sets
/// how many cold starts are measured (0: none, for a 1M library on a busy machine, where each takes minutes).
/// </summary>
public static class WarmStartScenario
{
    public static int Run(string dir, string[] args)
    {
        if (LspScenario.Server(args) is not { } server) return 2;
        int runs = int.TryParse(Program.StringOption(args, "--runs"), out var n) ? n : 5;
        int coldRuns = int.TryParse(Program.StringOption(args, "--cold-runs"), out var c) ? c : runs;
        var root = Path.GetFullPath(dir);
        var key = LspScenario.ReadKeys(Path.Combine(root, "library", "big.bib"))[0];
        var home = Directory.CreateTempSubdirectory("papernotes-bench-cache-").FullName;
        try
        {
            var cold = new List<(double, double, double, long)>();
            var warm = new List<(double, double, double, long)>();
            for (int i = 0; i < coldRuns; i++) cold.Add(OneAsync(server, root, key, null).GetAwaiter().GetResult());
            var images = Path.Combine(home, "papernotes", "libraries");
            // Both images: the library's, and its search index's once built.
            bool Written() => Directory.Exists(images) && Directory.GetFiles(images, "*.pnlib").Length > 0 && Directory.GetFiles(images, "*.pnidx").Length > 0;
            // The first start with the cache writes the images in the background: it is kept running until they are there.
            var (_, coldUsable, _, _) = OneAsync(server, root, key, home, Written).GetAwaiter().GetResult();
            long imageBytes = Directory.GetFiles(images, "*.pnlib").Sum(f => new FileInfo(f).Length);
            long searchBytes = Directory.GetFiles(images, "*.pnidx").Sum(f => new FileInfo(f).Length);
            for (int i = 0; i < runs; i++) warm.Add(OneAsync(server, root, key, home).GetAwaiter().GetResult());
            var library = new FileInfo(Path.Combine(root, "library", "big.bib")).Length;
            Console.WriteLine($"server: {server}; library {library / 1e6:F0} MB, its image {imageBytes / 1e6:F0} MB, its search index's {searchBytes / 1e6:F0} MB; first start with the cache (writes it) {coldUsable:F0} ms");
            Console.WriteLine($"| measure ({coldRuns} cold, {runs} warm runs, median (min–max)) | cold (--no-cache) | warm (image of the unchanged library) |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| spawn → initialize answered | {Describe(cold, r => r.Item1, "ms")} | {Describe(warm, r => r.Item1, "ms")} |");
            Console.WriteLine($"| spawn → usable library (first hover answered) | {Describe(cold, r => r.Item2, "ms")} | {Describe(warm, r => r.Item2, "ms")} |");
            Console.WriteLine($"| spawn → search ready (first completion by a title word answered) | {Describe(cold, r => r.Item3, "ms")} | {Describe(warm, r => r.Item3, "ms")} |");
            Console.WriteLine($"| peak RSS after the completion | {Describe(cold, r => r.Item4 / 1e6, "MB")} | {Describe(warm, r => r.Item4 / 1e6, "MB")} |");
            return 0;
        }
        finally { Directory.Delete(home, recursive: true); }
    }

    private static string Describe(List<(double, double, double, long)> runs, Func<(double, double, double, long), double> pick, string unit)
    {
        var values = runs.Select(pick).Order().ToList();
        if (values.Count == 0) return "–";
        return $"{values[values.Count / 2]:F0} {unit} ({values[0]:F0}–{values[^1]:F0})";
    }

    private static async Task<(double Initialize, double Usable, double SearchReady, long Peak)> OneAsync(string server, string root, string key, string? cacheHome,
        Func<bool>? runUntil = null)
    {
        var (started, client, clock, initialize) = await LspScenario.StartAsync(server, root, cacheHome);
        using var process = started;
        var probe = Path.Combine(root, "notes", "probe.md");
        await client.Notify("textDocument/didOpen", LspScenario.Open(probe, $"Probe [@{key}] and @\n", 1));
        double usable;
        while (true)
        {
            var hover = await client.Request("textDocument/hover", LspScenario.At(probe, 0, 9));
            if (hover.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object) { usable = clock.Elapsed.TotalMilliseconds; if (Environment.GetEnvironmentVariable("BENCH_LOG") is not null) Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss.fff} usable {usable:F0} ms after spawn"); break; }
            await Task.Delay(5);
        }
        // Search ready: a completion by a title word waits for the search index (built, or read back from its image).
        var text = $"Probe [@{key}] and @neural\n";
        await client.Notify("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspScenario.Uri(probe), ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });
        await client.Request("textDocument/completion", LspScenario.At(probe, 0, text.Length - 1));
        double searchReady = clock.Elapsed.TotalMilliseconds;
        long peak = LspScenario.PeakMemory(process.Id);
        for (var waited = Stopwatch.StartNew(); runUntil is not null && !runUntil(); await Task.Delay(50))
            if (waited.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("the server never wrote the library's image");
        process.StandardInput.Close();
        if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        return (initialize, usable, searchReady, peak);
    }
}
