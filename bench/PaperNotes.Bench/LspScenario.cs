using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperNotes.Server.Lsp;

namespace PaperNotes.Bench;

/// <summary>
/// The language-server figures over real LSP: a `papernotes serve` process on the generated workspace,
/// driven as an editor would (didOpen/didChange, completion, hover, references), timing each round trip.
/// </summary>
public static class LspScenario
{
    /// <summary>A cold start as a user's first: the server's library cache in a fresh, empty folder (its images are
    /// written during the scenario, and the library's text is read from its image once written); <c>--no-cache</c>: the
    /// server without one (the text stays in memory).</summary>
    public static int Run(string dir, string[] args)
    {
        if (Server(args) is not { } server) return 2;
        var cacheHome = args.Contains("--no-cache") ? null : Directory.CreateTempSubdirectory("papernotes-bench-cache-").FullName;
        try
        {
            Console.WriteLine(cacheHome is null ? "server run with --no-cache" : $"server run with a fresh library cache ({cacheHome})");
            return RunAsync(dir, server, cacheHome).GetAwaiter().GetResult();
        }
        finally
        {
            if (cacheHome is not null) Directory.Delete(cacheHome, recursive: true);
        }
    }

    /// <summary>--server PATH: a papernotes.dll (run with dotnet) or a published executable; default: the Release build's dll.</summary>
    internal static string? Server(string[] args)
    {
        var server = Program.StringOption(args, "--server")
            ?? Path.Combine(Program.RepoRoot(), "server/PaperNotes.Server/bin/Release/net10.0/papernotes.dll");
        if (File.Exists(server)) return Path.GetFullPath(server);
        Console.Error.WriteLine($"server not built: {server} (dotnet build -c Release server/PaperNotes.Server)");
        return null;
    }

    /// <summary>`papernotes serve`: a .dll runs with dotnet, anything else directly. Its library cache goes to
    /// <paramref name="cacheHome"/> (XDG_CACHE_HOME); by default none (<c>--no-cache</c>): every start is a cold start.</summary>
    internal static ProcessStartInfo Serve(string server, string? cacheHome = null)
    {
        bool dll = server.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(dll ? "dotnet" : server) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (dll) start.ArgumentList.Add(server);
        start.ArgumentList.Add("serve");
        if (cacheHome is null) start.ArgumentList.Add("--no-cache");
        else start.Environment["XDG_CACHE_HOME"] = cacheHome;
        return start;
    }

    /// <summary>A `papernotes serve` process (see <see cref="Serve"/>) initialized on <paramref name="root"/>: its client,
    /// the clock started at spawn, and spawn → `initialize` answered (`initialized` sent after).</summary>
    internal static async Task<(Process Process, Client Client, Stopwatch Clock, double Initialize)> StartAsync(string server, string root, string? cacheHome = null)
    {
        var clock = Stopwatch.StartNew();
        var process = Process.Start(Serve(server, cacheHome))!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var client = new Client(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
        await client.Request("initialize", new JsonObject { ["processId"] = null, ["rootUri"] = Uri(root), ["capabilities"] = new JsonObject() });
        double initialize = clock.Elapsed.TotalMilliseconds;
        await client.Notify("initialized", new JsonObject());
        return (process, client, clock, initialize);
    }

    private static async Task<int> RunAsync(string dir, string server, string? cacheHome)
    {
        var keys = ReadKeys(Path.Combine(dir, "library", "big.bib"));
        var start = Serve(server, cacheHome);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null) Console.Error.WriteLine($"{clock.ElapsedMilliseconds,6} ms {line}"); };
        process.BeginErrorReadLine();
        var client = new Client(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);

        var root = Path.GetFullPath(dir);
        await client.Request("initialize", new JsonObject { ["processId"] = null, ["rootUri"] = Uri(root), ["capabilities"] = new JsonObject() });
        await client.Notify("initialized", new JsonObject());

        // Start → usable library: the first hover on a known citation that answers with the paper.
        var probe = Path.Combine(root, "notes", "probe.md");
        var probeText = $"Probe [@{keys[0]}] and @\n";
        await client.Notify("textDocument/didOpen", Open(probe, probeText, 1));
        double usable;
        while (true)
        {
            var hover = await client.Request("textDocument/hover", At(probe, 0, 9));
            if (hover.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object) { usable = clock.Elapsed.TotalMilliseconds; break; }
            await Task.Delay(20);
        }
        await client.WaitFor(n => n.GetProperty("method").GetString() == "paperNotes/libraryStatus" && !n.GetProperty("params").GetProperty("indexing").GetBoolean(), TimeSpan.FromMinutes(2));
        double indexed = clock.Elapsed.TotalMilliseconds;
        var memory = new List<string> { $"indexed {PeakMemory(process.Id) / 1e6:F0}" };

        // Start → search ready: the first completion waits for the search index, which needs every paper decoded.
        var firstText = $"Probe [@{keys[0]}] and @a\n";
        await client.Notify("textDocument/didChange", Change(probe, 2, firstText));
        await client.Request("textDocument/completion", At(probe, 0, firstText.Length - 1));
        double searchReady = clock.Elapsed.TotalMilliseconds;

        // Completion: type "@" + a 3–6 character prefix of a title word, author or key.
        var random = new Random(9);
        var titleWords = File.ReadLines(Path.Combine(dir, "library", "big.bib")).Where(l => l.StartsWith("  title")).Take(5000)
            .SelectMany(l => l.Split(' ', '{', '}', ',', '=')).Where(w => w.Length >= 6).ToList();
        var completion = new List<double>();
        int version = 2;
        for (int i = 0; i < 300; i++)
        {
            var source = i % 2 == 0 ? titleWords[random.Next(titleWords.Count)] : keys[random.Next(keys.Count)];
            var fragment = source[..Math.Min(source.Length, random.Next(3, 7))].ToLowerInvariant();
            var text = $"Probe [@{keys[0]}] and @{fragment}\n";
            await client.Notify("textDocument/didChange", Change(probe, ++version, text));
            var t = Stopwatch.GetTimestamp();
            await client.Request("textDocument/completion", At(probe, 0, text.Length - 1));
            if (i >= 20) completion.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        memory.Add($"completion {PeakMemory(process.Id) / 1e6:F0}");
        // Hover on citations of a real note.
        var notePath = Path.Combine(root, "notes", "note1.md");
        var noteText = File.ReadAllText(notePath);
        await client.Notify("textDocument/didOpen", Open(notePath, noteText, 1));
        var citations = CitationPositions(noteText);
        var hovers = new List<double>();
        var firstHovers = new List<double>();
        var hovered = new HashSet<(int, int)>();
        for (int i = 0; i < 500; i++)
        {
            var (line, character) = citations[random.Next(citations.Count)];
            var t = Stopwatch.GetTimestamp();
            await client.Request("textDocument/hover", At(notePath, line, character));
            double ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (i >= 20) hovers.Add(ms);
            if (hovered.Add((line, character)) && i >= 20) firstHovers.Add(ms);
        }

        memory.Add($"hover {PeakMemory(process.Id) / 1e6:F0}");
        // Edit → diagnostics on a 5,000-line note: each edit adds or removes an unknown key. As VS Code does with
        // inlay hints and semantic tokens on, every edit is followed by requests for both over the viewport. Typed
        // into a paragraph in the middle (only that paragraph is parsed again), then as a list item at the start of the
        // title line (lists are not parsed alone: the whole note is parsed again).
        var longPath = Path.Combine(root, "notes", "long.md");
        var longText = WorkspaceGenerator.LongNote(keys, 5000);
        await client.Notify("textDocument/didOpen", Open(longPath, longText, 1));
        int longVersion = 1;
        var edits = await TypeCitations(client, longPath, 2500, "", () => ++longVersion);
        var titleEdits = await TypeCitations(client, longPath, 0, "- ", () => ++longVersion);
        var viewport = new List<double>();
        // Inlay hints for a viewport deep in the 5,000-line note, on their own.
        for (int i = 0; i < 200; i++)
        {
            int first = random.Next(0, 4900);
            var elapsed = await Timed(() => client.Request("textDocument/inlayHint", Viewport(longPath, first, first + 60)));
            if (i >= 20) viewport.Add(elapsed);
        }

        memory.Add($"edits {PeakMemory(process.Id) / 1e6:F0}");
        // References of keys cited across the 2,000 notes.
        var references = new List<double>();
        for (int i = 0; i < 60; i++)
        {
            var (line, character) = citations[random.Next(citations.Count)];
            var request = At(notePath, line, character);
            request["context"] = new JsonObject { ["includeDeclaration"] = true };
            var t = Stopwatch.GetTimestamp();
            await client.Request("textDocument/references", request);
            if (i >= 6) references.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        memory.Add($"references {PeakMemory(process.Id) / 1e6:F0}");
        // Reload: the reference manager rewrites the whole library with one title changed, as Better BibTeX's
        // auto-export does (a new file renamed over the old). Meanwhile the user goes on typing citations: completion
        // after each keystroke, and a hover on the changed paper until it shows the new title.
        var libraryPath = Path.Combine(root, "library", "big.bib");
        // Bytes, not a string: a million papers are 1.5 GB, over .NET's largest string.
        var original = File.ReadAllBytes(libraryPath);
        int entry = original.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes("{" + keys[0] + ","));
        int titleAt = entry + original.AsSpan(entry).IndexOf("title = {{"u8) + "title = {{".Length;
        var duringReload = new List<double>();
        double reloadVisible;
        double reloadSettled = 0;
        try
        {
            var temp = libraryPath + ".export";
            using (var output = File.Create(temp))
            {
                output.Write(original, 0, titleAt);
                output.Write("Reloaded "u8);
                output.Write(original, titleAt, original.Length - titleAt);
            }
            GcDump(process.Id, "before-rewrite");
            File.Move(temp, libraryPath, overwrite: true);
            var t0 = Stopwatch.GetTimestamp();
            await client.Notify("workspace/didChangeWatchedFiles", new JsonObject
            {
                ["changes"] = new JsonArray(new JsonObject { ["uri"] = Uri(libraryPath), ["type"] = 2 }),
            });
            while (true)
            {
                var source = titleWords[random.Next(titleWords.Count)];
                var fragment = source[..Math.Min(source.Length, random.Next(3, 7))].ToLowerInvariant();
                var text = $"Probe [@{keys[0]}] and @{fragment}\n";
                await client.Notify("textDocument/didChange", Change(probe, ++version, text));
                duringReload.Add(await Timed(() => client.Request("textDocument/completion", At(probe, 0, text.Length - 1))));
                var hover = await client.Request("textDocument/hover", At(probe, 0, 9));
                if (hover.ToString().Contains("Reloaded", StringComparison.Ordinal))
                {
                    reloadVisible = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    GcDump(process.Id, "change-visible");
                    break;
                }
                if (Stopwatch.GetElapsedTime(t0) > TimeSpan.FromMinutes(2)) throw new TimeoutException("the rewritten library never showed");
            }
            // What the reload starts once the change shows (the search index and the suggester carried over, findings
            // published, and with a cache the new image written) is part of its cost: the peak is read once the
            // server has been idle a while, before the file is put back.
            reloadSettled = Stopwatch.GetElapsedTime(t0, WaitIdle(process.Id, TimeSpan.FromMinutes(5))).TotalMilliseconds;
            GcDump(process.Id, "settled");
        }
        finally
        {
            File.WriteAllBytes(libraryPath + ".restore", original);
            File.Move(libraryPath + ".restore", libraryPath, overwrite: true);
        }

        long peak = PeakMemory(process.Id);
        await client.Request("shutdown", null);
        await client.Notify("exit", null);
        process.WaitForExit(10000);

        var (cp50, cp95) = Program.Percentiles(completion);
        var (hp50, hp95) = Program.Percentiles(hovers);
        var (fp50, fp95) = firstHovers.Count > 0 ? Program.Percentiles(firstHovers) : (0, 0);
        var (ep50, ep95) = Program.Percentiles(edits);
        var (tp50, tp95) = Program.Percentiles(titleEdits);
        var (rp50, rp95) = Program.Percentiles(references);
        var (ip50, ip95) = Program.Percentiles(viewport);
        var (dp50, dp95) = Program.Percentiles(duringReload);
        Console.WriteLine("| measure (over LSP, real process) | value | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| start → usable library (first hover answered) | {usable:F0} ms | < 2000 ms |");
        Console.WriteLine($"| start → whole workspace indexed | {indexed:F0} ms | |");
        Console.WriteLine($"| start → search ready (every paper decoded, first completion answered) | {searchReady:F0} ms | |");
        Console.WriteLine($"| completion p50 / p95 | {cp50:F1} / {cp95:F1} ms | p95 < 20 ms |");
        Console.WriteLine($"| hover p50 / p95 | {hp50:F1} / {hp95:F1} ms (a citation's first hover, {firstHovers.Count} of {hovers.Count}: {fp50:F1} / {fp95:F1} ms) | p95 < 5 ms |");
        Console.WriteLine($"| edit → diagnostics p50 / p95 (5,000-line note, a citation typed in a paragraph, inlay hints and semantic tokens requested per edit) | {ep50:F1} / {ep95:F1} ms | p95 < 30 ms |");
        Console.WriteLine($"| the same, typed as a list item at the title's start (a list: the whole note is parsed) | {tp50:F1} / {tp95:F1} ms | |");
        Console.WriteLine($"| inlay hints for a 60-line viewport of the 5,000-line note p50 / p95 | {ip50:F2} / {ip95:F2} ms | p95 < 5 ms |");
        Console.WriteLine($"| references p50 / p95 (2,000 notes) | {rp50:F1} / {rp95:F1} ms | < 50 ms |");
        Console.WriteLine($"| library rewritten whole with one title changed: change visible (hover shows it) | {reloadVisible:F0} ms | |");
        Console.WriteLine($"| … the reload's work done (search index and suggester carried over, findings published; the server idle) | {reloadSettled:F0} ms after the rewrite | |");
        Console.WriteLine($"| completion p50 / p95 during that reload ({duringReload.Count} requests) | {dp50:F1} / {dp95:F1} ms | |");
        Console.WriteLine($"| server peak memory (VmHWM) | {peak / 1e6:F0} MB (peak after each phase, MB: {string.Join(", ", memory)}) | < 500 MB |");
        return 0;
    }

    /// <summary>60 edits at the start of <paramref name="line"/>, as an editor sends them (incremental changes typing
    /// or deleting a citation); the time from each change to its diagnostics, after 6 warm-up edits.</summary>
    /// <param name="lead">Typed before the citation: "- " makes the line a list item, which only a whole parse reads.</param>
    private static async Task<List<double>> TypeCitations(Client client, string path, int line, string lead, Func<int> nextVersion)
    {
        var times = new List<double>();
        for (int i = 0; i < 60; i++)
        {
            int v = nextVersion();
            var change = i % 2 == 0 ? Edit(line, 0, line, 0, $"{lead}[@typo{i}] ") : Edit(line, 0, line, $"{lead}[@typo{i - 1}] ".Length, "");
            var t = Stopwatch.GetTimestamp();
            await client.Notify("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["version"] = v },
                ["contentChanges"] = new JsonArray(change),
            });
            var hints = Timed(() => client.Request("textDocument/inlayHint", Viewport(path, Math.Max(0, line - 30), line + 30)));
            var tokens = Timed(() => client.Request("textDocument/semanticTokens/range", Viewport(path, Math.Max(0, line - 30), line + 30)));
            await client.WaitFor(n => IsDiagnostics(n, path, v), TimeSpan.FromSeconds(30));
            if (i >= 6) times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            await Task.WhenAll(hints, tokens);
        }
        return times;
    }

    private static async Task<double> Timed(Func<Task> request)
    {
        var t = Stopwatch.GetTimestamp();
        await request();
        return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
    }

    private static JsonObject Viewport(string path, int firstLine, int lastLine) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path) },
        ["range"] = new JsonObject
        {
            ["start"] = new JsonObject { ["line"] = firstLine, ["character"] = 0 },
            ["end"] = new JsonObject { ["line"] = lastLine, ["character"] = 0 },
        },
    };

    private static bool IsDiagnostics(JsonElement n, string path, int? version) =>
        n.GetProperty("method").GetString() == "textDocument/publishDiagnostics"
        && n.GetProperty("params").GetProperty("uri").GetString() == Uri(path)
        && (version is null || (n.GetProperty("params").TryGetProperty("version", out var v) && v.GetInt32() == version));

    internal static List<string> ReadKeys(string bib) =>
        File.ReadLines(bib).Where(l => l.StartsWith("@article{")).Select(l => l[9..^1]).ToList();

    private static List<(int Line, int Character)> CitationPositions(string text)
    {
        var result = new List<(int, int)>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            for (int at = lines[i].IndexOf('@'); at >= 0; at = lines[i].IndexOf('@', at + 1))
                if (at + 2 < lines[i].Length && char.IsLetter(lines[i][at + 1]) && (at == 0 || lines[i][at - 1] is '[' or ' ' or '-')) result.Add((i, at + 2));
        return result;
    }

    /// <summary>Waits until the process has used no CPU for a second (at most <paramref name="limit"/>), and returns the
    /// timestamp at which its last work ended.</summary>
    internal static long WaitIdle(int pid, TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        long cpu = CpuTicks(pid), busy = Stopwatch.GetTimestamp(), quietSince = busy;
        while (Stopwatch.GetElapsedTime(start) < limit)
        {
            Thread.Sleep(100);
            long now = CpuTicks(pid);
            // A tick or two a second is a timer or the file watcher, not work.
            if (now - cpu > 2) { busy = Stopwatch.GetTimestamp(); quietSince = busy; }
            cpu = now;
            if (Stopwatch.GetElapsedTime(quietSince) >= TimeSpan.FromSeconds(1)) break;
        }
        return busy;
    }

    /// <summary>The process's user and system CPU time, in clock ticks (/proc/PID/stat).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]); // utime and stime: fields 14 and 15 of stat
    }

    internal static long PeakMemory(int pid) => StatusBytes(pid, "VmHWM");

    /// <summary>BENCH_GCDUMP=DIR: a heap dump of the server (dotnet-gcdump, framework-dependent server only) at this point.</summary>
    static void GcDump(int pid, string phase)
    {
        if (Environment.GetEnvironmentVariable("BENCH_GCDUMP") is not { } dir) return;
        Console.Error.WriteLine($"gcdump {phase}: RSS {StatusBytes(pid, "VmRSS") / 1e6:F0} MB, HWM {StatusBytes(pid, "VmHWM") / 1e6:F0} MB");
        using var dump = Process.Start("dotnet-gcdump", $"collect -p {pid} -o {Path.Combine(dir, phase + ".gcdump")}")!;
        dump.WaitForExit();
    }

    /// <summary>A memory figure of /proc/PID/status (VmRSS, VmHWM), in bytes.</summary>
    internal static long StatusBytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    internal static string Uri(string path) => new System.Uri("file://" + path).AbsoluteUri;

    internal static JsonObject At(string path, int line, int character) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path) },
        ["position"] = new JsonObject { ["line"] = line, ["character"] = character },
    };

    internal static JsonObject Open(string path, string text, int version) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["languageId"] = "markdown", ["version"] = version, ["text"] = text },
    };

    private static JsonObject Edit(int line, int character, int endLine, int endCharacter, string text) => new()
    {
        ["range"] = new JsonObject
        {
            ["start"] = new JsonObject { ["line"] = line, ["character"] = character },
            ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
        },
        ["text"] = text,
    };

    private static JsonObject Change(string path, int version, string text) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["version"] = version },
        ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
    };

    /// <summary>A minimal editor side: requests by id, notifications into a queue, server requests answered with null.</summary>
    internal sealed class Client
    {
        private readonly Stream _out;
        private readonly FrameReader _reader;
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
        private readonly BlockingCollection<JsonElement> _notifications = new();
        private readonly SemaphoreSlim _write = new(1, 1);
        private int _id;

        public Client(Stream toServer, Stream fromServer)
        {
            _out = toServer;
            _reader = new FrameReader(fromServer);
            _ = Task.Run(ReadLoop);
        }

        public async Task<JsonElement> Request(string method, JsonNode? parameters)
        {
            int id = Interlocked.Increment(ref _id);
            var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = tcs;
            await Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            // A cold million-paper library's first completion builds the search index: minutes on a busy machine.
            return await tcs.Task.WaitAsync(TimeSpan.FromMinutes(10));
        }

        public Task Notify(string method, JsonNode? parameters) => Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

        public async Task WaitFor(Func<JsonElement, bool> predicate, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
                if (_notifications.TryTake(out var n, TimeSpan.FromMilliseconds(100)) && predicate(n)) return;
            throw new TimeoutException("notification not received");
        }

        private async Task Send(JsonNode message)
        {
            var body = Encoding.UTF8.GetBytes(message.ToJsonString());
            await _write.WaitAsync();
            try
            {
                await _out.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
                await _out.WriteAsync(body);
                await _out.FlushAsync();
            }
            finally { _write.Release(); }
        }

        private async Task ReadLoop()
        {
            while (await _reader.ReadAsync(CancellationToken.None) is { Body: { } body })
            {
                var message = JsonDocument.Parse(body).RootElement.Clone();
                bool hasId = message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number;
                if (message.TryGetProperty("method", out _))
                {
                    if (hasId) await Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.GetInt32(), ["result"] = null });
                    else
                    {
                        if (Environment.GetEnvironmentVariable("BENCH_LOG") is not null && message.GetProperty("method").GetString() == "window/logMessage")
                            Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {message.GetProperty("params").GetProperty("message").GetString()}");
                        _notifications.Add(message);
                    }
                }
                else if (hasId && _pending.TryRemove(id.GetInt32(), out var tcs)) tcs.SetResult(message);
            }
        }
    }
}
