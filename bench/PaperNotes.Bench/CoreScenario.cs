using System.Diagnostics;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Search;
using PaperNotes.Server.Cli;

namespace PaperNotes.Bench;

/// <summary>The issue's core figures on the generated workspace, printed as a Markdown table.</summary>
public static class CoreScenario
{
    public static int Run(string dir)
    {
        var libraryPath = Path.Combine(dir, "library", "big.bib");
        double megabytes = new FileInfo(libraryPath).Length / 1e6;

        double read = Best(3, () => File.ReadAllText(libraryPath));
        var text = File.ReadAllText(libraryPath);
        var holder = new LibraryHolder();
        double parse = Best(3, () => holder.File = BibParser.Parse(libraryPath, text));
        var file = holder.File!;
        text = null!;
        var watch = Stopwatch.StartNew();
        var index = new SearchIndex(file.Papers);
        double indexBuild = watch.Elapsed.TotalMilliseconds;
        GC.Collect();
        long managedAfterLoad = GC.GetTotalMemory(forceFullCollection: true);

        // Queries: 3–6 character prefixes of words users type: title words, author names, keys.
        var random = new Random(3);
        var queries = new List<string>();
        for (int i = 0; i < 2000; i++)
        {
            var paper = file.Papers[random.Next(file.Papers.Count)];
            var source = (i % 3) switch
            {
                0 => paper.Key,
                1 => paper.Title?.Split(' ')[random.Next(paper.Title.Split(' ').Length)] ?? paper.Key,
                _ => paper.Authors.FirstOrDefault()?.Family ?? paper.Key,
            };
            int length = Math.Min(source.Length, random.Next(3, 7));
            queries.Add(source[..length]);
        }
        foreach (var q in queries.Take(200)) index.Search(q, 50); // warm up the JIT
        var latencies = new List<double>();
        foreach (var q in queries)
        {
            var t = Stopwatch.GetTimestamp();
            index.Search(q, 50);
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        var (p50, p95) = Program.Percentiles(latencies);
        long peakAfterSearch = Process.GetCurrentProcess().PeakWorkingSet64;
        GC.KeepAlive(index);
        GC.KeepAlive(file);
        file = null!;
        index = null!;
        holder.File = null;
        GC.Collect();

        watch.Restart();
        int exit = CheckCommand.Run(dir, OutputFormat.Text, TextWriter.Null, TextWriter.Null);
        double check = watch.Elapsed.TotalMilliseconds;
        long peakTotal = Process.GetCurrentProcess().PeakWorkingSet64;

        Console.WriteLine($"| measure | value | target |");
        Console.WriteLine($"|---|---|---|");
        Console.WriteLine($"| library file | {megabytes:F1} MB, {holderCount(dir)} | |");
        Console.WriteLine($"| read file (File.ReadAllText) | {read:F0} ms | |");
        Console.WriteLine($"| parse library (BibParser) | {parse:F0} ms ({megabytes / (parse / 1000):F0} MB/s, {parse / read:F1}x read) | < 3x read, < 1500 ms |");
        Console.WriteLine($"| build search index | {indexBuild:F0} ms | |");
        Console.WriteLine($"| managed heap, library + index | {managedAfterLoad / 1e6:F0} MB | |");
        Console.WriteLine($"| peak working set, library + index + 2,000 searches | {peakAfterSearch / 1e6:F0} MB | < 400 MB |");
        Console.WriteLine($"| search p50 / p95 (3–6 char prefixes, top 50) | {p50:F3} / {p95:F3} ms | p95 < 5 ms |");
        Console.WriteLine($"| `check` end to end (scan, parse all, diagnostics), exit {exit} | {check:F0} ms | < 4000 ms |");
        Console.WriteLine($"| peak working set, whole run | {peakTotal / 1e6:F0} MB | |");
        return 0;

        static string holderCount(string dir) => $"{Directory.GetFiles(Path.Combine(dir, "notes")).Length:N0} notes";
    }

    private static double Best(int runs, Action action)
    {
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            GC.Collect();
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}

internal sealed class LibraryHolder
{
    public PaperNotes.Core.Library.LibraryFile? File { get; set; }
}
