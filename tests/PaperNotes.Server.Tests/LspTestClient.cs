using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperNotes.Server.Lsp;

namespace PaperNotes.Server.Tests;

/// <summary>
/// Speaks JSON-RPC to a server as an editor does, with its own framing (so tests can also send garbage):
/// requests by id, notifications collected, and the server's own requests (configuration, registrations,
/// progress) answered. Runs the real <see cref="LanguageServer"/> over in-memory pipes, or a real process.
/// </summary>
public sealed class LspTestClient : IAsyncDisposable
{
    private readonly Stream _toServer;
    private readonly FrameReader _reader;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<JsonElement> _notifications = [];
    private readonly SemaphoreSlim _notified = new(0);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _nextId;
    private readonly Task _readLoop;
    public Task<int>? ServerExit { get; private init; }
    /// <summary>The in-process server (null for a real process), for tests that look behind the protocol.</summary>
    public LanguageServer? Server { get; private init; }
    public List<JsonElement> ServerRequests { get; } = [];

    /// <summary>What the client answers to workspace/configuration for section paperNotes.</summary>
    public JsonNode? Settings { get; set; }

    /// <summary>When set, the raw answer to a request from the server (given its id and method); null: the usual answer.</summary>
    public Func<int, string, byte[]?>? RawAnswer { get; set; }

    /// <summary>Server requests (by method) this client never answers, as a broken client would not.</summary>
    public Func<string, bool>? NeverAnswer { get; set; }

    private LspTestClient(Stream toServer, Stream fromServer, Task<int>? serverExit)
    {
        _toServer = toServer;
        _reader = new FrameReader(fromServer);
        ServerExit = serverExit;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>
    /// The real server, in process, over pipes — or, when <c>PAPERNOTES_TEST_SERVER</c> names a published server
    /// (<see cref="PaperNotes.Tests.PublishedServer"/>), that program as a process, so every test runs against what ships.
    /// </summary>
    /// <param name="cacheHome">The user's cache directory (<c>XDG_CACHE_HOME</c>) the server keeps its library cache in;
    /// null: no library cache, so tests leave nothing behind.</param>
    public static LspTestClient InProcess(TimeSpan? readyLimit = null, TimeSpan? clientAnswerLimit = null, string? cacheHome = null)
    {
        if (PaperNotes.Tests.PublishedServer.Program is { } program)
            return Spawn(program, cacheHome is null ? ["serve", "--no-cache"] : ["serve"], readyLimit, clientAnswerLimit, cacheHome).Client;
        var c2s = new Pipe();
        var s2c = new Pipe();
        var server = new LanguageServer(c2s.Reader.AsStream(), s2c.Writer.AsStream(), readyLimit, clientAnswerLimit,
            cacheHome is null ? null : Path.Combine(cacheHome, "papernotes"), cacheWriteDelay: TimeSpan.Zero);
        var exit = Task.Run(server.RunAsync);
        return new LspTestClient(c2s.Writer.AsStream(), s2c.Reader.AsStream(), exit) { Server = server };
    }

    /// <summary>The real `papernotes` process: the published server if the tests were given one, else the dll next to the tests.</summary>
    public static (LspTestClient Client, System.Diagnostics.Process Process) Process(params string[] args) =>
        Spawn(PaperNotes.Tests.PublishedServer.Program ?? Path.Combine(AppContext.BaseDirectory, "papernotes.dll"), args, null, null);

    private static (LspTestClient Client, System.Diagnostics.Process Process) Spawn(string program, string[] args, TimeSpan? readyLimit, TimeSpan? clientAnswerLimit,
        string? cacheHome = null)
    {
        var start = PaperNotes.Tests.PublishedServer.StartInfo(program, args);
        if (cacheHome is not null)
        {
            start.Environment["XDG_CACHE_HOME"] = cacheHome;
            start.Environment[Cli.ServeCommand.CacheWriteDelayVariable] = "0";
        }
        if (readyLimit is { } limit) start.Environment[Cli.ServeCommand.ReadyLimitVariable] = Milliseconds(limit);
        if (clientAnswerLimit is { } answer) start.Environment[Cli.ServeCommand.ClientAnswerLimitVariable] = Milliseconds(answer);
        var process = System.Diagnostics.Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var exit = process.WaitForExitAsync().ContinueWith(_ => process.ExitCode);
        return (new LspTestClient(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, exit) { _process = process }, process);
    }

    private System.Diagnostics.Process? _process;

    private static string Milliseconds(TimeSpan limit) =>
        limit == Timeout.InfiniteTimeSpan ? "-1" : ((long)limit.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Uri(string path) => new System.Uri("file://" + path).AbsoluteUri;

    public async Task<JsonElement> InitializeAsync(string root, JsonNode? capabilities = null, bool sendInitialized = true)
    {
        var result = await RequestAsync("initialize", new JsonObject
        {
            ["processId"] = null,
            ["rootUri"] = Uri(root),
            ["capabilities"] = capabilities ?? new JsonObject(),
        });
        if (sendInitialized) await NotifyAsync("initialized", new JsonObject());
        return result;
    }

    /// <summary>Sends a request; returns the whole response message (result or error).</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonNode? parameters, TimeSpan? timeout = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    public (int Id, Task<JsonElement> Response) StartRequest(string method, JsonNode? parameters)
    {
        int id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        _ = SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return (id, tcs.Task);
    }

    /// <summary>An id whose response the caller sends itself (e.g. a raw frame); the task completes with the response.</summary>
    public (int Id, Task<JsonElement> Response) ReserveId()
    {
        int id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        return (id, tcs.Task);
    }

    /// <summary>The result of a request that must succeed.</summary>
    public async Task<JsonElement> ResultAsync(string method, JsonNode? parameters)
    {
        var response = await RequestAsync(method, parameters);
        Assert.False(response.TryGetProperty("error", out var error), $"{method} failed: {error}");
        return response.GetProperty("result");
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public Task SendAsync(JsonNode message) => SendRawAsync(Encoding.UTF8.GetBytes(message.ToJsonString()));

    public async Task SendRawAsync(byte[] body, string? header = null)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _toServer.WriteAsync(Encoding.ASCII.GetBytes(header ?? $"Content-Length: {body.Length}\r\n\r\n"));
            await _toServer.WriteAsync(body);
            await _toServer.FlushAsync();
        }
        finally { _writeLock.Release(); }
    }

    public Task OpenAsync(string path, string text, string languageId = "markdown", int version = 1) =>
        NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["languageId"] = languageId, ["version"] = version, ["text"] = text },
        });

    public static JsonObject At(string path, int line, int character) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path) },
        ["position"] = new JsonObject { ["line"] = line, ["character"] = character },
    };

    /// <summary>Waits for a notification matching the predicate (also one that already arrived).</summary>
    public async Task<JsonElement> WaitForNotificationAsync(string method, Func<JsonElement, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        int seen = 0;
        while (true)
        {
            lock (_notifications)
            {
                for (; seen < _notifications.Count; seen++)
                {
                    var n = _notifications[seen];
                    if (n.GetProperty("method").GetString() == method && predicate(n.GetProperty("params"))) return n.GetProperty("params");
                }
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no {method} notification matched within the timeout; got: {Describe()}");
            await _notified.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits for a request from the server (e.g. window/showDocument) matching the predicate; returns its params.</summary>
    public async Task<JsonElement> WaitForServerRequestAsync(string method, Func<JsonElement, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            lock (ServerRequests)
                foreach (var request in ServerRequests)
                    if (request.GetProperty("method").GetString() == method
                        && (predicate is null || predicate(request.TryGetProperty("params", out var p) ? p : default)))
                        return request.TryGetProperty("params", out var found) ? found : default;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no {method} request from the server within the timeout");
            await _notified.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>The newest diagnostics published for a file that satisfy the predicate.</summary>
    public Task<JsonElement> WaitForDiagnosticsAsync(string path, Func<JsonElement[], bool> predicate, TimeSpan? timeout = null)
    {
        var uri = Uri(path);
        return WaitForNotificationAsync("textDocument/publishDiagnostics",
            p => p.GetProperty("uri").GetString() == uri && predicate(p.GetProperty("diagnostics").EnumerateArray().ToArray()), timeout);
    }

    public List<JsonElement> Notifications(string method)
    {
        lock (_notifications) return _notifications.Where(n => n.GetProperty("method").GetString() == method).Select(n => n.GetProperty("params")).ToList();
    }

    private string Describe()
    {
        lock (_notifications) return string.Join("\n", _notifications.TakeLast(8).Select(n => n.ToString()[..Math.Min(300, n.ToString().Length)]));
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _reader.ReadAsync(CancellationToken.None) is { Body: { } body })
            {
                JsonElement message;
                try
                {
                    message = JsonDocument.Parse(body).RootElement.Clone();
                }
                catch (JsonException)
                {
                    // Not JSON: kept (as a notification) for the test to see, and reading goes on.
                    lock (_notifications) _notifications.Add(JsonSerializer.SerializeToElement(new { method = "(unparsable message)", @params = System.Convert.ToBase64String(body) }));
                    _notified.Release();
                    continue;
                }
                // Only ids this client could have sent (int) are matched; others are answers to raw messages.
                bool hasId = message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out _);
                if (message.TryGetProperty("method", out var method))
                {
                    if (hasId) { lock (ServerRequests) ServerRequests.Add(message); _ = AnswerAsync(id, method.GetString()!); _notified.Release(); }
                    else
                    {
                        lock (_notifications) _notifications.Add(message);
                        _notified.Release();
                    }
                }
                else if (hasId && _pending.TryRemove(id.GetInt32(), out var tcs)) tcs.SetResult(message);
                else if (!hasId)
                {
                    lock (_notifications) _notifications.Add(JsonDocument.Parse($"{{\"method\":\"(response without id)\",\"params\":{message}}}").RootElement.Clone());
                    _notified.Release();
                }
            }
        }
        catch (Exception) { /* stream closed */ }
    }

    private Task AnswerAsync(JsonElement id, string method)
    {
        if (NeverAnswer?.Invoke(method) == true) return Task.CompletedTask;
        if (RawAnswer?.Invoke(id.GetInt32(), method) is { } raw) return SendRawAsync(raw);
        JsonNode? result = method == "workspace/configuration" ? new JsonArray(Settings?.DeepClone()) : null;
        return SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.GetInt32(), ["result"] = result });
    }

    public async Task ShutdownAsync()
    {
        await RequestAsync("shutdown", null);
        await NotifyAsync("exit", null);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _toServer.DisposeAsync(); } catch (Exception) { }
        await Task.WhenAny(_readLoop, Task.Delay(2000));
        // A server process ends when its input closes; one that does not is killed, so no test leaves a process behind.
        if (_process is { } process && ServerExit is { } exit)
        {
            if (await Task.WhenAny(exit, Task.Delay(5000)) != exit) try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    }
}
