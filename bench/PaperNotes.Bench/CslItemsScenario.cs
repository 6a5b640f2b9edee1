using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperNotes.Bench;

/// <summary>
/// bench csl-items [--server PATH] [--keys N] [--runs R]: what the VS Code preview asks for, over real LSP: a
/// `papernotes serve` process on the workspace (only its big.bib matters), an open note citing N keys (default 300)
/// spread over the library, then R <c>paperNotes/cslItems</c> requests (default 30) after one untimed warm-up; the
/// round trip's p50 / p95 and the server's peak memory before and after them.
/// </summary>
public static class CslItemsScenario
{
    public static int Run(string dir, string[] args)
    {
        if (LspScenario.Server(args) is not { } server) return 2;
        int keyCount = IntOption(args, "--keys", 300), runs = IntOption(args, "--runs", 30);
        return RunAsync(dir, server, keyCount, runs).GetAwaiter().GetResult();
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Program.StringOption(args, name) is { } s && int.TryParse(s, out var v) ? v : fallback;

    private static async Task<int> RunAsync(string dir, string server, int keyCount, int runs)
    {
        var keys = LspScenario.ReadKeys(Path.Combine(dir, "library", "big.bib"));
        var cited = Enumerable.Range(0, keyCount).Select(i => keys[(int)((long)i * keys.Count / keyCount)]).ToList();
        using var process = Process.Start(LspScenario.Serve(server))!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var client = new LspScenario.Client(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
        var root = Path.GetFullPath(dir);
        await client.Request("initialize", new JsonObject { ["processId"] = null, ["rootUri"] = LspScenario.Uri(root), ["capabilities"] = new JsonObject() });
        await client.Notify("initialized", new JsonObject());
        await client.WaitFor(n => n.GetProperty("method").GetString() == "paperNotes/libraryStatus" && !n.GetProperty("params").GetProperty("indexing").GetBoolean(), TimeSpan.FromMinutes(5));

        // Not on disk: the note exists only as the editor's text.
        var note = Path.Combine(root, "notes", "csl-items-bench.md");
        await client.Notify("textDocument/didOpen", LspScenario.Open(note, "# Preview\n\n" + string.Join("\n", cited.Select(k => $"See [@{k}].")) + "\n", 1));
        var request = new JsonObject { ["uri"] = LspScenario.Uri(note) };
        var first = await client.Request("paperNotes/cslItems", request.DeepClone());
        int items = first.GetProperty("result").GetProperty("items").GetArrayLength();
        long before = LspScenario.PeakMemory(process.Id);
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var answer = await client.Request("paperNotes/cslItems", request.DeepClone());
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (answer.GetProperty("result").GetProperty("items").GetArrayLength() != items) throw new InvalidOperationException("answers differ");
        }
        long after = LspScenario.PeakMemory(process.Id);
        await client.Request("shutdown", null);
        await client.Notify("exit", null);
        process.WaitForExit(10000);

        var (p50, p95) = Program.Percentiles(times);
        Console.WriteLine($"| paperNotes/cslItems, a note citing {keyCount} keys of {keys.Count:N0} ({items} items) p50 / p95 over {runs} | {p50:F1} / {p95:F1} ms |");
        Console.WriteLine($"| server peak memory (VmHWM) before / after those requests | {before / 1e6:F0} / {after / 1e6:F0} MB |");
        return 0;
    }
}
