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

        // One clean load first, so the peak working set is that of a single load + index + searches.
        // "Load" = usable library: keys, spans and syntax errors known, read as the server reads it (DiskLoader: streamed,
        // the text kept compressed); papers decode lazily.
        var watch = Stopwatch.StartNew();
        var file = Load(libraryPath);
        double firstLoad = watch.Elapsed.TotalMilliseconds;
        long peakLoaded = Process.GetCurrentProcess().PeakWorkingSet64;
        long managedLoaded = GC.GetTotalMemory(forceFullCollection: true);
        _ = file.Errors.Count; // every entry decoded for its errors, as the server does, none kept
        double firstDecoded = watch.Elapsed.TotalMilliseconds;
        long managedLibrary = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
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
        int paperCount = file.Papers.Count;
        GC.KeepAlive(index);
        GC.KeepAlive(file);
        file = null!;
        index = null!;
        GC.Collect();

        // Then timings: best of three, reading alone against reading + parsing.
        double read = Best(3, () => File.ReadAllText(libraryPath));
        double load = Best(3, () => Load(libraryPath));
        double decoded = Best(3, () => { _ = Load(libraryPath).Errors.Count; });

        watch = Stopwatch.StartNew();
        int exit = CheckCommand.Run(dir, OutputFormat.Text, TextWriter.Null, TextWriter.Null);
        double check = watch.Elapsed.TotalMilliseconds;
        Phases(dir);
        long peakTotal = Process.GetCurrentProcess().PeakWorkingSet64;

        Console.WriteLine($"| measure | value | target |");
        Console.WriteLine($"|---|---|---|");
        Console.WriteLine($"| workspace | {megabytes:F1} MB BibTeX, {paperCount:N0} papers, {holderCount(dir)} | |");
        Console.WriteLine($"| read file (File.ReadAllText), best of 3 | {read:F0} ms ({megabytes / (read / 1000):F0} MB/s) | |");
        Console.WriteLine($"| load library, usable (read + key scan + line index), best of 3 | {load:F0} ms ({megabytes / (load / 1000):F0} MB/s, {load / read:F1}x read); first load {firstLoad:F0} ms | < 3x read, < 1500 ms |");
        Console.WriteLine($"| load library, every entry decoded for its errors (read + scan + decode every paper, none kept), best of 3 | {decoded:F0} ms ({decoded / read:F1}x read); first load {firstDecoded:F0} ms | |");
        Console.WriteLine($"| build search index | {indexBuild:F0} ms | |");
        Console.WriteLine($"| usable library (keys only, text compressed): managed heap / peak working set so far | {managedLoaded / 1e6:F0} / {peakLoaded / 1e6:F0} MB | |");
        Console.WriteLine($"| managed heap: library (errors known, no paper kept) / library + index | {managedLibrary / 1e6:F0} / {managedAfterLoad / 1e6:F0} MB | |");
        Console.WriteLine($"| peak working set, library + index + 2,000 searches | {peakAfterSearch / 1e6:F0} MB | < 400 MB |");
        Console.WriteLine($"| search p50 / p95 (3–6 char prefixes, top 50) | {p50:F3} / {p95:F3} ms | p95 < 5 ms |");
        Console.WriteLine($"| `check` end to end (scan, parse all, diagnostics), exit {exit} | {check:F0} ms | < 4000 ms |");
        Console.WriteLine($"| peak working set, whole run | {peakTotal / 1e6:F0} MB | |");
        return 0;

        static string holderCount(string dir) => $"{Directory.GetFiles(Path.Combine(dir, "notes")).Length:N0} notes";
    }

    /// <summary>Where the time of a check goes, phase by phase.</summary>
    private static void Phases(string dir)
    {
        var watch = Stopwatch.StartNew();
        var phases = new List<string>();
        void Mark(string name) { phases.Add($"{name} {watch.ElapsedMilliseconds} ms"); watch.Restart(); }
        var scan = PaperNotes.Server.Workspace.DiskLoader.Scan(dir);
        Mark("scan");
        var libraries = PaperNotes.Server.Workspace.DiskLoader.LoadLibraries(scan.LibraryPaths);
        Mark("libraries");
        var notes = PaperNotes.Server.Workspace.DiskLoader.LoadNotes(scan.NotePaths);
        Mark("notes");
        var snapshot = PaperNotes.Core.Workspace.Snapshot.Create(scan.Root, scan.Config, libraries, notes);
        Mark("snapshot");
        PaperNotes.Core.Diagnostics.DiagnosticCollector.ForWorkspace(snapshot);
        Mark("diagnostics");
        Console.Error.WriteLine("check phases: " + string.Join(", ", phases));
    }

    private static PaperNotes.Core.Library.LibraryFile Load(string path) =>
        PaperNotes.Server.Workspace.DiskLoader.LoadLibrary(path, PaperNotes.Core.Library.LibraryKind.BibTeX);

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
