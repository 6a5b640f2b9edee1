using System.Diagnostics;
using PaperNotes.Core.Diagnostics;
using PaperNotes.Core.Notes;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Bench;

/// <summary>
/// What one keystroke in a 5,000-line note costs the server, stage by stage, in process: update the note, put it in
/// the snapshot, compute its diagnostics. Each edit adds (or removes) an unknown key, as `bench lsp` does: typed into
/// a paragraph in the middle of the note (only that paragraph is parsed again), and typed as a list item at the start
/// of the title line (lists are not parsed alone: the whole note is parsed again).
/// </summary>
public static class EditScenario
{
    public static int Run(string dir)
    {
        var snapshot = DiskLoader.Load(dir);
        snapshot.Libraries.WarmUp();
        var keys = snapshot.Libraries.Keys.ToList();
        var path = Path.Combine(Path.GetFullPath(dir), "notes", "long.md");
        var text = WorkspaceGenerator.LongNote(keys, 5000);
        int middle = LineStart(text, 2500);
        Console.WriteLine($"| stage of one edit (5,000-line note, {keys.Count:N0} keys, in process) | p50 | p95 |");
        Console.WriteLine("|---|---|---|");
        Measure(snapshot, path, text, middle, "", "typed in a paragraph");
        Measure(snapshot, path, text, 0, "- ", "typed as a list item at the title's start (whole parse)");
        DidYouMean(snapshot.Libraries, keys);
        return 0;
    }

    /// <summary>"Did you mean" for one unknown key, uncached: a real key with a letter changed, and a key like no other.</summary>
    private static void DidYouMean(PaperNotes.Core.Workspace.LibrarySet libraries, List<string> keys)
    {
        var random = new Random(4);
        var suggester = libraries.Suggester;
        foreach (var (name, make) in new (string, Func<int, string>)[]
        {
            ("a real key with one letter changed", i => { var k = keys[random.Next(keys.Count)].ToCharArray(); k[random.Next(k.Length)] = 'q'; return new string(k); }),
            ("a key like no other (typo123)", i => $"typo{i}"),
        })
        {
            var times = new List<double>();
            for (int i = 0; i < 400; i++)
            {
                var key = make(i);
                var t = Stopwatch.GetTimestamp();
                suggester.Suggest(key);
                if (i >= 50) times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            var (p50, p95) = Program.Percentiles(times);
            Console.WriteLine($"| did you mean, {name} | {p50:F2} ms | {p95:F2} ms |");
        }
    }

    private static void Measure(PaperNotes.Core.Workspace.Snapshot snapshot, string path, string text, int at, string lead, string where)
    {
        snapshot = snapshot.WithNote(NoteParser.Parse(path, text)); // the note is open already: edits replace it
        var (parse, insert, diagnose, total) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (int i = 0; i < 300; i++)
        {
            var edited = i % 2 == 0 ? text.Insert(at, $"{lead}[@typo{i}] ") : text;
            var t0 = Stopwatch.GetTimestamp();
            var note = NoteParser.Update(snapshot.Notes.Find(path)!, edited);
            var t1 = Stopwatch.GetTimestamp();
            var next = snapshot.WithNote(note);
            var t2 = Stopwatch.GetTimestamp();
            var found = DiagnosticCollector.ForNote(next, next.Notes.Find(path)!);
            var t3 = Stopwatch.GetTimestamp();
            if (found.Count != (i % 2 == 0 ? 1 : 0)) throw new InvalidOperationException($"expected one finding per typo, got {found.Count}");
            snapshot = next;
            if (i < 30) continue; // JIT warm-up
            parse.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            insert.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            diagnose.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
            total.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
        }
        foreach (var (name, values) in new[] { ("update the note", parse), ("put it in the snapshot", insert), ("its diagnostics", diagnose), ("all", total) })
        {
            var (p50, p95) = Program.Percentiles(values);
            Console.WriteLine($"| {where}: {name} | {p50:F2} ms | {p95:F2} ms |");
        }
    }

    internal static int LineStart(string text, int line)
    {
        int at = 0;
        for (int i = 0; i < line && at >= 0; i++) at = text.IndexOf('\n', at) + 1;
        return at;
    }
}
