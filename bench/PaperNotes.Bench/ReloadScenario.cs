using System.Diagnostics;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Bench;

/// <summary>
/// A reference manager's rewrite, in process, stage by stage: the generated library is loaded with its search index
/// and "did you mean", then rewritten whole (a new file renamed over it) with one title changed, and back, round after
/// round. Each round times what the server does after such a rewrite: read, compress and scan the file against the
/// one it replaces; the new library set; its search index (carried over); its suggester. No cache. Also what the read
/// allocates and pauses the collector for, and how far the process's resident memory rises over the round (its VmHWM
/// reset at the round's start) above where it was: Linux only, as the rest of the bench.
/// </summary>
public static class ReloadScenario
{
    public static int Run(string dir, string[] args)
    {
        int rounds = Math.Max(1, Program.IntOption(args, "--rounds", 4));
        var library = Path.Combine(dir, "library", "big.bib");
        var work = Path.Combine(Path.GetTempPath(), $"papernotes-reload-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var path = Path.Combine(work, "big.bib");
            var versions = new[] { Path.Combine(work, "a.bib"), Path.Combine(work, "b.bib") };
            File.Copy(library, versions[0]);
            var bytes = File.ReadAllBytes(library);
            // One title changed, halfway through the file.
            int at = bytes.AsSpan(bytes.Length / 2).IndexOf("title = {"u8) + bytes.Length / 2 + "title = {".Length;
            using (var changed = File.Create(versions[1]))
            {
                changed.Write(bytes, 0, at);
                changed.Write("Changed "u8);
                changed.Write(bytes, at, bytes.Length - at);
            }
            bytes = [];
            File.Copy(versions[0], path);

            var watch = Stopwatch.StartNew();
            var file = DiskLoader.LoadLibrary(path, LibraryKind.BibTeX);
            var read = watch.Elapsed.TotalSeconds;
            var set = LibrarySet.Create([file]);
            set.WarmUp();
            _ = set.Suggester;
            Console.WriteLine($"{file.Papers.Count:N0} papers ({new FileInfo(path).Length / 1e6:F0} MB): cold read, compress and scan {read:F2} s; " +
                $"with the search index and suggester {watch.Elapsed.TotalSeconds:F1} s; managed {Managed():F0} MB");
            Console.WriteLine();
            Console.WriteLine("| round | read, compress and scan | allocated by the read / GC pauses in it | blocks taken from the replaced text | new set (key index) | search index | carried over | suggester | allocated by the new set / search / suggester | resident memory: before, highest over the round | managed after |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            for (int round = 1; round <= rounds; round++)
            {
                File.Copy(versions[round % 2], path + ".new", overwrite: true);
                File.Move(path + ".new", path, overwrite: true);
                ResetPeak();
                double before = Resident("VmRSS");
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                var paused = GC.GetTotalPauseDuration();
                watch.Restart();
                var next = DiskLoader.LoadLibrary(path, LibraryKind.BibTeX, file);
                var parse = watch.Elapsed.TotalMilliseconds;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                paused = GC.GetTotalPauseDuration() - paused;
                var text = (next.Papers as LazyBibPapers)?.Text as CompressedText;
                long mark = GC.GetTotalAllocatedBytes(precise: true);
                double Allocated()
                {
                    long now = GC.GetTotalAllocatedBytes(precise: true);
                    (mark, now) = (now, now - mark);
                    return now / 1e6;
                }
                watch.Restart();
                var nextSet = set.With(next);
                var with = watch.Elapsed.TotalMilliseconds;
                var withAllocated = Allocated();
                watch.Restart();
                nextSet.WarmUp(); // what the server starts once the new set is published (requests answer from the old index meanwhile)
                var search = watch.Elapsed.TotalMilliseconds;
                var searchAllocated = Allocated();
                watch.Restart();
                _ = nextSet.Suggester;
                var suggester = watch.Elapsed.TotalMilliseconds;
                var suggesterAllocated = Allocated();
                double highest = Resident("VmHWM");
                Console.WriteLine($"| {round} | {parse:F0} ms | {allocated / 1e6:F0} MB / {paused.TotalMilliseconds:F0} ms | {text?.SharedBlocks.ToString("N0") ?? "–"} of {text?.BlockCount.ToString("N0") ?? "–"} | {with:F0} ms | " +
                    $"{search:F0} ms | {(nextSet.Search.IsUpdated ? "yes" : "no")} | {suggester:F0} ms | {withAllocated:F0} / {searchAllocated:F0} / {suggesterAllocated:F0} MB | {before:F0}, {highest:F0} MB | {Managed():F0} MB |");
                (file, set) = (next, nextSet);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Restarts the process's VmHWM from its current resident memory (Linux: clear_refs 5).</summary>
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>A memory figure of this process (VmRSS, VmHWM) in MB.</summary>
    private static double Resident(string field) => LspScenario.StatusBytes(Environment.ProcessId, field) / (1024.0 * 1024);

    private static double Managed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true) / 1e6;
    }
}
