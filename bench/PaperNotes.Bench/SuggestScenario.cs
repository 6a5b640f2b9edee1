using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PaperNotes.Core.Diagnostics;

namespace PaperNotes.Bench;

/// <summary>
/// "Did you mean" over N keys: the index's build time and memory, and lookups (p50/p95) against the scan it replaced
/// (<see cref="ScanKeySuggester"/>), each answer checked equal. Two kinds of keys: the generator's (20 families, so
/// many keys share their start: the index's hard case), and Google Scholar-style keys from the 83k real arXiv papers
/// of ../shared/data (first author, year, first title word; one in five the arXiv id), recombined past 83k.
/// </summary>
public static class SuggestScenario
{
    public static int Run(int count, string? arxivPath)
    {
        arxivPath ??= Path.Combine(Program.RepoRoot(), "..", "shared", "data", "arxiv-cs-ai.jsonl.xz");
        Console.WriteLine($"| {count:N0} keys | build | managed memory | lookup p50 / p95: index | scan |");
        Console.WriteLine("|---|---|---|---|---|");
        Measure("generator keys", WorkspaceGenerator.Keys(count));
        if (File.Exists(arxivPath)) Measure("arXiv-shaped keys", ArxivKeys(arxivPath, count));
        else Console.WriteLine($"(no {arxivPath}: arXiv-shaped keys skipped)");
        return 0;
    }

    private static void Measure(string name, List<string> keys)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var index = new KeySuggester(keys);
        var indexBuild = watch.Elapsed.TotalSeconds;
        long indexBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        before = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        var scan = new ScanKeySuggester(keys);
        var scanBuild = watch.Elapsed.TotalSeconds;
        long scanBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine($"| {name} | index {indexBuild:F2} s, scan {scanBuild:F2} s | index {indexBytes / 1e6:F0} MB, scan {scanBytes / 1e6:F0} MB | | |");

        var random = new Random(4);
        foreach (var (kind, make) in new (string, Func<int, string>)[]
        {
            ("a real key, one typo", _ => Typo(random, keys[random.Next(keys.Count)], 1)),
            ("a real key, two or three typos", _ => Typo(random, keys[random.Next(keys.Count)], random.Next(2, 4))),
            ("the first half of a real key", _ => { var k = keys[random.Next(keys.Count)]; return k[..Math.Max(4, k.Length / 2)]; }),
            ("a key like no other (typo123)", i => $"typo{i}"),
        })
        {
            var (indexTimes, scanTimes) = (new List<double>(), new List<double>());
            for (int i = 0; i < 550; i++)
            {
                var typed = make(i);
                var t0 = Stopwatch.GetTimestamp();
                var fromIndex = index.Suggest(typed);
                var t1 = Stopwatch.GetTimestamp();
                var fromScan = scan.Suggest(typed);
                var t2 = Stopwatch.GetTimestamp();
                if (!fromIndex.SequenceEqual(fromScan)) throw new InvalidOperationException($"'{typed}': index [{string.Join(", ", fromIndex)}], scan [{string.Join(", ", fromScan)}]");
                if (i < 50) continue; // JIT warm-up
                indexTimes.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                scanTimes.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            }
            var (i50, i95) = Program.Percentiles(indexTimes);
            var (s50, s95) = Program.Percentiles(scanTimes);
            Console.WriteLine($"| {name}: {kind} | | | {i50:F3} / {i95:F3} ms | {s50:F3} / {s95:F3} ms |");
        }
        GC.KeepAlive(index);
        GC.KeepAlive(scan);
    }

    private static string Typo(Random random, string key, int edits)
    {
        var s = new StringBuilder(key);
        for (; edits > 0 && s.Length > 1; edits--)
        {
            int at = random.Next(s.Length - 1);
            switch (random.Next(4))
            {
                case 0: s.Remove(at, 1); break;
                case 1: s.Insert(at, (char)('a' + random.Next(26))); break;
                case 2: s[at] = (char)('a' + random.Next(26)); break;
                default: (s[at], s[at + 1]) = (s[at + 1], s[at]); break;
            }
        }
        return s.ToString();
    }

    /// <summary>Keys as Google Scholar and Better BibTeX make them from the real papers (<c>hu2025multimodal</c>, a letter
    /// after a repeated one); one paper in five keyed by its arXiv id. Past the papers there are, first authors, years
    /// and title words are recombined at random.</summary>
    private static List<string> ArxivKeys(string path, int count)
    {
        var papers = new List<(string Family, int Year, string Word, string Id)>();
        using (var xz = Process.Start(new ProcessStartInfo("xz", ["-dc", path]) { RedirectStandardOutput = true })!)
        {
            while (xz.StandardOutput.ReadLine() is { } line)
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var id = root.GetProperty("arxiv_id").GetString()!;
                var authors = root.GetProperty("authors");
                var family = authors.GetArrayLength() == 0 ? "anonymous" : Letters(authors[0].GetString()!.Split(' ')[^1]);
                var word = root.GetProperty("title").GetString()!.Split(' ').Select(Letters).FirstOrDefault(w => w.Length > 3 && w is not ("with" or "from" or "towards")) ?? "paper";
                int year = id.Length >= 2 && char.IsAsciiDigit(id[0]) ? 2000 + int.Parse(id[..2]) : 2000;
                papers.Add((family, year, word, id.Split('v')[0]));
            }
            xz.WaitForExit();
        }
        var random = new Random(8);
        var used = new HashSet<string>();
        var keys = new List<string>(count);
        for (int i = 0; keys.Count < count; i++)
        {
            var paper = i < papers.Count ? papers[i]
                : (papers[random.Next(papers.Count)].Family, papers[random.Next(papers.Count)].Year, papers[random.Next(papers.Count)].Word, Id: $"{random.Next(7, 26):D2}{random.Next(1, 13):D2}.{random.Next(100000):D5}");
            var baseKey = random.Next(5) == 0 ? paper.Id : $"{paper.Family}{paper.Year}{paper.Word}";
            var key = baseKey;
            for (char suffix = 'a'; !used.Add(key); suffix++) key = baseKey + (suffix <= 'z' ? suffix.ToString() : ((int)suffix).ToString());
            keys.Add(key);
        }
        return keys;
    }

    private static string Letters(string s) => new(s.ToLowerInvariant().Where(char.IsLetter).ToArray());
}
