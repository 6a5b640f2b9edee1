using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace PaperNotes.Server.Tests;

/// <summary>
/// Seeded random LSP traffic (<see cref="LspFuzzer"/>) against the in-process server on the fixture workspace.
/// Every request must be answered (result or error) and the server must keep running; it must log no error
/// (a handler or its writer failing) and send only JSON; afterwards, with the fixture restored, a real hover must be right.
/// A longer run is one command (the heap limit turns a runaway allocation into an error instead of swapping):
/// <c>DOTNET_GCHeapHardLimit=0x100000000 PAPERNOTES_FUZZ_CASES=100000 dotnet test tests/PaperNotes.Server.Tests -c Release --filter FullyQualifiedName~FuzzTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Random_traffic_is_always_answered_and_leaves_the_server_serving()
    {
        var settings = FuzzSettings.FromEnvironment();
        var report = await FuzzRunner.RunAsync(settings, line => output.WriteLine(line));
        output.WriteLine(report.Summary());
        Assert.True(report.Failures.Count == 0, string.Join("\n\n", report.Failures));
    }
}

/// <summary>What to run, from the environment: PAPERNOTES_FUZZ_SEED, _CASES, _FROM (first case), _BATCH (cases per server), _TRACE (a file naming each case before it runs).</summary>
public sealed record FuzzSettings(ulong Seed, long From, long Cases, long Batch, string? Trace)
{
    public const ulong DefaultSeed = 20250801;
    public const long DefaultCases = 4000;
    public const long DefaultBatch = 2000;

    public static FuzzSettings FromEnvironment()
    {
        static long Number(string name, long fallback) =>
            long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : fallback;
        return new FuzzSettings((ulong)Number("PAPERNOTES_FUZZ_SEED", (long)DefaultSeed), Number("PAPERNOTES_FUZZ_FROM", 0),
            Number("PAPERNOTES_FUZZ_CASES", DefaultCases), Math.Max(1, Number("PAPERNOTES_FUZZ_BATCH", DefaultBatch)),
            Environment.GetEnvironmentVariable("PAPERNOTES_FUZZ_TRACE"));
    }

    /// <summary>The command that replays a batch up to and including <paramref name="index"/>.</summary>
    public string Reproduce(long batchStart, long index) =>
        $"PAPERNOTES_FUZZ_SEED={Seed} PAPERNOTES_FUZZ_FROM={batchStart} PAPERNOTES_FUZZ_CASES={index - batchStart + 1} PAPERNOTES_FUZZ_BATCH={Batch} " +
        "dotnet test tests/PaperNotes.Server.Tests -c Release --filter FullyQualifiedName~FuzzTests";
}

public sealed class FuzzReport
{
    public List<string> Failures { get; } = [];
    public long Cases { get; set; }
    public int Servers { get; set; }
    public Dictionary<string, int> Outcomes { get; } = [];
    public TimeSpan Elapsed { get; set; }
    /// <summary>The slowest answers (a hint at quadratic corners, not an assertion: speed depends on the machine).</summary>
    public List<(TimeSpan Time, string What)> Slowest { get; } = [];

    public void Timed(TimeSpan time, string what)
    {
        lock (Slowest)
        {
            if (Slowest.Count == 5 && time <= Slowest[^1].Time) return;
            Slowest.Add((time, what));
            Slowest.Sort((a, b) => b.Time.CompareTo(a.Time));
            if (Slowest.Count > 5) Slowest.RemoveAt(5);
        }
    }

    public void Count(string outcome) => Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;

    public string Summary() =>
        $"{Cases:N0} cases on {Servers} servers in {Elapsed.TotalSeconds:F1} s, {Failures.Count} failures\nslowest answers:\n" +
        string.Join("\n", Slowest.Select(s => $"  {s.Time.TotalMilliseconds,7:F0} ms  {s.What}")) + "\noutcomes:\n" +
        string.Join("\n", Outcomes.OrderByDescending(o => o.Value).Select(o => $"  {o.Value,7:N0}  {o.Key}"));
}

/// <summary>A failure of the server under fuzzing (as opposed to a bug of the fuzzer).</summary>
public sealed class FuzzFailure(string message) : Exception(message);

public static class FuzzRunner
{
    private const int MaxFailures = 5;

    public static async Task<FuzzReport> RunAsync(FuzzSettings settings, Action<string> log)
    {
        var report = new FuzzReport();
        var watch = Stopwatch.StartNew();
        long end = settings.From + settings.Cases;
        for (long start = settings.From; start < end && report.Failures.Count < MaxFailures;)
        {
            long batchEnd = Math.Min(end, (start / settings.Batch + 1) * settings.Batch);
            await RunBatchAsync(settings, start, batchEnd, report);
            report.Servers++;
            if (report.Servers % 10 == 0) log($"{batchEnd - settings.From:N0} cases, {watch.Elapsed.TotalSeconds:F0} s, {report.Failures.Count} failures");
            start = batchEnd;
        }
        report.Elapsed = watch.Elapsed;
        return report;
    }

    private static async Task RunBatchAsync(FuzzSettings settings, long start, long end, FuzzReport report)
    {
        using var ws = ServerFixture.Create();
        var fuzzer = new LspFuzzer(ws.Root);
        // No ready limit: a request that never gets what it waits for hangs (and is caught) instead of answering late.
        await using var session = new FuzzSession(ws, LspTestClient.InProcess(readyLimit: Timeout.InfiniteTimeSpan), report, settings.Seed);
        long index = start;
        FuzzStep? step = null;
        bool started = false;
        try
        {
            await session.StartAsync();
            started = true;
            for (; index < end; index++)
            {
                step = fuzzer.Step(settings.Seed, index);
                if (settings.Trace is { } trace) File.WriteAllText(trace, $"seed {settings.Seed} case {index} (batch from {start}): {step.Describe()}\n");
                await session.RunAsync(step, index);
                report.Cases++;
            }
            step = null;
            await session.RestoreAndCheckAsync(fuzzer);
        }
        catch (Exception e)
        {
            var what = !started ? $"starting the server for the batch from case {start}"
                : step is null ? $"after the batch's last case {index - 1}, with the fixture restored" : $"case {index}: {step.Describe()}";
            var kind = e is FuzzFailure ? e.Message : $"the fuzz harness failed: {e}";
            report.Failures.Add($"seed {settings.Seed}, {what}\n  {kind}\n  reproduce: {settings.Reproduce(start, Math.Max(index, start))}{session.RecentErrors()}");
        }
    }
}

/// <summary>One server and its workspace under fuzzing: runs steps, checks each answer, restores the fixture at the end.</summary>
internal sealed class FuzzSession(TempWorkspace ws, LspTestClient client, FuzzReport report, ulong seed) : IAsyncDisposable
{
    /// <summary>Only a hang guard: a healthy server answers in milliseconds.</summary>
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(30);
    private readonly HashSet<string> _addedFolders = [];
    private readonly Dictionary<string, int> _asked = []; // how many requests of each method the server sent
    private int _logsSeen;
    private long _case = -1;
    private string _step = "startup";

    public async Task StartAsync()
    {
        // Dynamic watcher registration: the server leaves watching to this client, so only announced changes count.
        // Configuration and progress: the server asks the client things, and gets odd answers (LspFuzzer.AnswerTo).
        var capabilities = new JsonObject
        {
            ["workspace"] = new JsonObject { ["configuration"] = true, ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true } },
            ["window"] = new JsonObject { ["workDoneProgress"] = true },
        };
        client.RawAnswer = (id, method) =>
        {
            int ordinal;
            lock (_asked) _asked[method] = ordinal = _asked.GetValueOrDefault(method) + 1;
            if (LspFuzzer.AnswerTo(seed, method, ordinal) is not { } answers) return null;
            var bodies = answers.Select(a => Encoding.UTF8.GetBytes(a.Replace("$ID", id.ToString(CultureInfo.InvariantCulture)))).ToList();
            report.Count($"odd answer to {method}: {answers[0][(answers[0].IndexOf("$ID", StringComparison.Ordinal) + 4)..][..Math.Min(50, answers[0].Length - answers[0].IndexOf("$ID", StringComparison.Ordinal) - 4)]}{(bodies.Count > 1 ? " (twice)" : "")}");
            foreach (var again in bodies.Skip(1)) _ = client.SendRawAsync(again);
            return bodies[0];
        };
        await Answer(Task.Run(() => client.InitializeAsync(ws.Root, capabilities)), "initialize");
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
    }

    public async Task RunAsync(FuzzStep step, long index)
    {
        (_case, _step) = (index, step.Describe()[..Math.Min(300, step.Describe().Length)]);
        switch (step)
        {
            case FuzzStep.Request request:
                Check(request.Method, await Send(request));
                break;
            case FuzzStep.Burst burst:
                var sent = burst.Requests.Select(r => (r.Method, Response: Send(r))).ToList();
                foreach (var (method, response) in sent) Check(method, await response);
                break;
            case FuzzStep.Notify notify:
                await client.SendRawAsync(Body(null, notify.Method, notify.Params));
                TrackFolders(notify);
                await Ping();
                break;
            case FuzzStep.Envelope envelope when envelope.Awaited:
                var (id, answer) = client.ReserveId();
                await client.SendRawAsync(Encoding.UTF8.GetBytes(envelope.Text.Replace("$ID", id.ToString(CultureInfo.InvariantCulture))));
                Check("(raw)", await Answer(answer, "a raw request"));
                break;
            case FuzzStep.Envelope envelope:
                await client.SendRawAsync(Encoding.UTF8.GetBytes(envelope.Text));
                await Ping();
                break;
            case FuzzStep.Frame frame:
                await client.SendRawAsync(frame.Body, frame.Header);
                await Ping();
                break;
            case FuzzStep.WriteFile write:
                var path = ws.Path(write.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, write.Content);
                await AnnounceAsync(write.Path, write.How, write.LanguageId, write.Content);
                break;
            case FuzzStep.DeleteFile delete:
                if (File.Exists(ws.Path(delete.Path))) File.Delete(ws.Path(delete.Path));
                await AnnounceAsync(delete.Path, delete.How, "", []);
                break;
        }
        if (client.ServerExit!.IsCompleted) throw new FuzzFailure($"the server stopped (exit code {client.ServerExit.Result})");
        CheckLog();
        CheckMemory();
    }

    /// <summary>A blow-up fails the run instead of taking the machine down (in the test process: this server, or a
    /// previous one still busy). Generous: the servers of a batch hold a few hundred MB at most.</summary>
    private const long MemoryLimit = 3L << 30;

    private static void CheckMemory()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) < MemoryLimit) return;
        long live = GC.GetTotalMemory(forceFullCollection: true);
        if (live >= MemoryLimit) throw new FuzzFailure($"the test process holds {live / (1 << 20):N0} MB of live objects after this case (memory guard)");
    }

    private async Task<JsonElement> Send(FuzzStep.Request request)
    {
        var (id, response) = client.ReserveId();
        await client.SendRawAsync(Body(id, request.Method, request.Params));
        if (request.Cancel) await client.NotifyAsync("$/cancelRequest", new JsonObject { ["id"] = id });
        return await Answer(response, request.Method);
    }

    private static byte[] Body(int? id, string method, Json? parameters)
    {
        var sb = new StringBuilder("{\"jsonrpc\":\"2.0\",");
        if (id is { } n) sb.Append("\"id\":").Append(n).Append(',');
        sb.Append("\"method\":");
        Json.WriteString(sb, method, asciiOnly: true);
        // Non-ASCII raw (UTF-8) every other message, escaped the others.
        if (parameters is not null) sb.Append(",\"params\":").Append(parameters.Render(asciiOnly: (method.Length & 1) == 0));
        return Encoding.UTF8.GetBytes(sb.Append('}').ToString());
    }

    /// <summary>A request StreamJsonRpc answers at once and in order: once answered, everything sent before was read.</summary>
    private async Task Ping() => Check("(ping)", await Answer(client.RequestAsync("paperNotes/fuzzPing", null, Timeout.InfiniteTimeSpan), "a ping after the step"));

    private async Task<JsonElement> Answer(Task<JsonElement> response, string what)
    {
        var watch = Stopwatch.StartNew();
        var exit = client.ServerExit!;
        var limited = response.WaitAsync(AnswerLimit);
        var done = await Task.WhenAny(limited, exit);
        if (done == exit) throw new FuzzFailure($"the server stopped (exit code {exit.Result}) while {what} was pending");
        try
        {
            var answer = await limited;
            report.Timed(watch.Elapsed, $"{what} in case {_case}: {_step}");
            return answer;
        }
        catch (TimeoutException)
        {
            throw new FuzzFailure($"no answer to {what} within {AnswerLimit.TotalSeconds:F0} s");
        }
    }

    private async Task Answer(Task work, string what)
    {
        if (await Task.WhenAny(work.WaitAsync(AnswerLimit), client.ServerExit!) != client.ServerExit) await work;
        else throw new FuzzFailure($"the server stopped during {what}");
    }

    /// <summary>An answer is a result or an error with an integer code; which one is counted, per method.</summary>
    private void Check(string method, JsonElement response)
    {
        if (response.TryGetProperty("error", out var error))
        {
            if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number)
                throw new FuzzFailure($"{method}: malformed error response {response}");
            var type = error.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("type", out var t) ? " " + t.GetString() : "";
            report.Count($"{method} error {code.GetInt32()}{type}");
        }
        else if (response.TryGetProperty("result", out _)) report.Count($"{method} result");
        else throw new FuzzFailure($"{method}: response without result or error: {response}");
    }

    /// <summary>
    /// Errors the server may log, all caused by the client: resolve data it made up (not what the server sent) fails
    /// to read, an internal error by design (<see cref="RobustnessTests.An_exception_inside_a_handler_is_an_error_response_and_a_log_line"/>);
    /// and its odd answers to the server's own requests fail the background task that asked.
    /// </summary>
    private static readonly string[] AcceptedErrors =
    [
        "completionItem/resolve failed: System.Text.Json.JsonException", "inlayHint/resolve failed: System.Text.Json.JsonException",
        "codeLens/resolve failed: System.Text.Json.JsonException",
        .. new[] { "file watcher registration failed: ", "reading settings failed: ", "settings failed: " }.SelectMany(task => new[]
        {
            task + "StreamJsonRpc.RemoteInvocationException", task + "StreamJsonRpc.RemoteMethodNotFoundException", task + "System.Text.Json.JsonException", task + "System.InvalidOperationException: Cannot read incomplete UTF-16",
        }),
    ];

    /// <summary>Any other logged error means a handler, the state's writer or a background task failed: a bug.</summary>
    private void CheckLog()
    {
        if (client.Notifications("(unparsable message)") is [var garbage, ..]) throw new FuzzFailure($"the server sent a message that is not JSON: {Cut(garbage.ToString())}");
        var logs = client.Notifications("window/logMessage");
        for (; _logsSeen < logs.Count; _logsSeen++)
        {
            var log = logs[_logsSeen];
            var message = log.GetProperty("message").GetString() ?? "";
            if (log.GetProperty("type").GetInt32() != 1) continue;
            if (AcceptedErrors.Any(a => message.StartsWith(a, StringComparison.Ordinal))) report.Count("accepted server error: " + message[..message.IndexOf(':', message.IndexOf(':') + 1)]);
            else throw new FuzzFailure($"the server logged an error: {Cut(message)}");
        }
    }

    public string RecentErrors()
    {
        var errors = client.Notifications("window/logMessage").Where(l => l.GetProperty("type").GetInt32() == 1)
            .Where(l => !AcceptedErrors.Any(a => l.GetProperty("message").GetString()!.StartsWith(a, StringComparison.Ordinal))).TakeLast(3).ToList();
        return errors.Count == 0 ? "" : "\n  server errors: " + string.Join("\n  ", errors.Select(l => Cut(l.GetProperty("message").GetString())));
    }

    private static string Cut(string? s) => s is null ? "" : s.Length <= 1500 ? s : s[..1500] + "...";

    private async Task AnnounceAsync(string relative, Announce how, string languageId, byte[] content)
    {
        var path = ws.Path(relative);
        if (how == Announce.Watched)
            await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
            {
                ["changes"] = new JsonArray(new JsonObject { ["uri"] = LspTestClient.Uri(path), ["type"] = File.Exists(path) ? 2 : 3 }),
            });
        else if (how == Announce.Open && File.Exists(path))
            await client.OpenAsync(path, Encoding.UTF8.GetString(content), languageId);
        await Ping();
    }

    private void TrackFolders(FuzzStep.Notify notify)
    {
        if (notify.Method != "workspace/didChangeWorkspaceFolders" || notify.Params is not Json.Obj { Members: [{ Value: Json.Obj change }] }) return;
        IEnumerable<string> Uris(string key) => change.Members.Where(m => m.Key == key).SelectMany(m => ((Json.Arr)m.Value).Items)
            .Select(f => ((Json.Str)((Json.Obj)f).Members[0].Value).Value);
        foreach (var uri in Uris("removed")) _addedFolders.Remove(uri);
        foreach (var uri in Uris("added")) _addedFolders.Add(uri);
    }

    /// <summary>Closes everything, puts the fixture back on disk, removes added folders, resets the settings, reopens note a, and checks a hover.</summary>
    public async Task RestoreAndCheckAsync(LspFuzzer fuzzer)
    {
        foreach (var uri in LspFuzzer.FixtureFiles.Concat(LspFuzzer.ExtraFiles).Select(fuzzer.FileUri).Concat(fuzzer.OddUris))
            await client.NotifyAsync("textDocument/didClose", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } });
        using (var fresh = ServerFixture.Create())
            foreach (var relative in LspFuzzer.FixtureFiles)
            {
                // As editors and reference managers save: a new file renamed over the old, never a write into a file
                // the server may be reading at that moment.
                File.Copy(fresh.Path(relative), ws.Path(relative) + ".restore", overwrite: true);
                File.Move(ws.Path(relative) + ".restore", ws.Path(relative), overwrite: true);
            }
        foreach (var relative in LspFuzzer.ExtraFiles.Where(r => File.Exists(ws.Path(r)))) File.Delete(ws.Path(relative));
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(LspFuzzer.FixtureFiles.Concat(LspFuzzer.ExtraFiles)
                .Select(r => (JsonNode)new JsonObject { ["uri"] = fuzzer.FileUri(r), ["type"] = 2 }).ToArray()),
        });
        if (_addedFolders.Count > 0)
            await client.NotifyAsync("workspace/didChangeWorkspaceFolders", new JsonObject
            {
                ["event"] = new JsonObject
                {
                    ["added"] = new JsonArray(),
                    ["removed"] = new JsonArray(_addedFolders.Select(u => (JsonNode)new JsonObject { ["uri"] = u, ["name"] = "f" }).ToArray()),
                },
            });
        // The fuzzed settings (pushed, or odd answers to the server's configuration requests) may have replaced the globs.
        await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["paperNotes"] = new JsonObject() } });
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        // A request waits only for its own document's text, not for other files' refreshes (by design), so right after
        // the restore it may still see the fuzzed library: the answer must become right, the limit only catches a
        // state that never converges.
        var (line, ch) = ServerFixture.Find(ServerFixture.NoteA, "@vaswani2017]", 3);
        var deadline = Stopwatch.StartNew();
        JsonElement hover;
        while (true)
        {
            hover = await Answer(client.RequestAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/a.md"), line, ch), Timeout.InfiniteTimeSpan), "the final hover");
            if (hover.ToString().Contains("Attention Is All You Need")) break;
            if (deadline.Elapsed > AnswerLimit)
                throw new FuzzFailure($"the final hover on [@vaswani2017] is still wrong after {AnswerLimit.TotalSeconds:F0} s: {Cut(hover.ToString())}\n" +
                    $"  server state: {Describe(client.Server?.Current)}");
            await Task.Delay(50);
        }
        report.Timed(deadline.Elapsed, "the final hover converging after the restore");
        if (client.ServerExit!.IsCompleted) throw new FuzzFailure("the server stopped");
        CheckLog();
    }

    private string Describe(PaperNotes.Server.State.ServerSnapshot? state) => state is null ? "(not in process)" :
        $"revision {state.Revision}; " + string.Join("; ", state.Folders.Select(f =>
            $"folder {f.Root} indexed={f.Indexed}: libraries [{string.Join(", ", f.Snapshot.Libraries.Files.Select(l => $"{l.Key.Replace(ws.Root, "")} {l.Value.Papers.Count} papers"))}], " +
            $"vaswani2017 defined {f.Snapshot.Libraries.DefinitionsOf("vaswani2017").Count}x, {f.Snapshot.Notes.Notes.Count} notes")) +
        $"; open: {string.Join(", ", state.Documents.Select(d => $"{d.Key.Replace(ws.Root, "")}#{d.Value.Sequence}"))}";

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
