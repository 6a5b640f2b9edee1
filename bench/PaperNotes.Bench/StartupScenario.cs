using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperNotes.Bench;

/// <summary>
/// bench startup [--server PATH] [--runs N]: how a build of the server starts, on examples/ (a small real workspace).
/// Each run spawns `papernotes serve` and times spawn → `initialize` answered and spawn → the first hover on a
/// citation answered with the paper, then reads the process's peak resident memory (VmHWM) after that hover and
/// shuts the server down. One warm-up run is not counted; the figures are median (min–max) over the runs.
/// </summary>
public static class StartupScenario
{
    public static int Run(string[] args)
    {
        if (LspScenario.Server(args) is not { } server) return 2;
        int runs = int.TryParse(Program.StringOption(args, "--runs"), out var n) ? n : 20;
        var examples = Path.Combine(Program.RepoRoot(), "examples");
        var initialize = new List<double>();
        var hover = new List<double>();
        var peak = new List<double>();
        for (int i = 0; i <= runs; i++)
        {
            var (init, first, rss) = OneAsync(server, examples).GetAwaiter().GetResult();
            if (i == 0) continue; // warm-up: the first run also reads the files from disk
            initialize.Add(init);
            hover.Add(first);
            peak.Add(rss / 1e6);
        }
        Console.WriteLine($"server: {server}");
        Console.WriteLine($"| measure ({runs} runs, median (min–max)) | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| spawn → initialize answered | {Describe(initialize, "ms")} |");
        Console.WriteLine($"| spawn → first hover answered (examples/ indexed) | {Describe(hover, "ms")} |");
        Console.WriteLine($"| peak RSS (VmHWM) after initialize, index, open, hover | {Describe(peak, "MB")} |");
        return 0;
    }

    private static string Describe(List<double> values, string unit)
    {
        values.Sort();
        return $"{values[values.Count / 2]:F0} {unit} ({values[0]:F0}–{values[^1]:F0})";
    }

    private static async Task<(double Initialize, double Hover, long Peak)> OneAsync(string server, string root)
    {
        var (started, client, clock, initialize) = await LspScenario.StartAsync(server, root);
        using var process = started;

        var note = Path.Combine(root, "notes", "ssl-collapse.md");
        var text = await File.ReadAllTextAsync(note);
        await client.Notify("textDocument/didOpen", LspScenario.Open(note, text, 1));
        var lines = text.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("@understanding2021", StringComparison.Ordinal));
        int character = lines[line].IndexOf("@understanding2021", StringComparison.Ordinal) + 3;
        double hover;
        while (true)
        {
            var response = await client.Request("textDocument/hover", LspScenario.At(note, line, character));
            if (response.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object) { hover = clock.Elapsed.TotalMilliseconds; break; }
            await Task.Delay(5);
        }
        long peak = LspScenario.PeakMemory(process.Id);
        await client.Request("shutdown", null);
        await client.Notify("exit", null);
        if (!process.WaitForExit(10_000)) process.Kill();
        return (initialize, hover, peak);
    }
}
