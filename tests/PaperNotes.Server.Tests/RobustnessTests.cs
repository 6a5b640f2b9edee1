using System.Text;
using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

public class RobustnessTests
{
    private static async Task<LspTestClient> Started(TempWorkspace ws)
    {
        var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        return client;
    }

    private static async Task AssertStillServing(LspTestClient client, TempWorkspace ws)
    {
        var (line, ch) = ServerFixture.Find(ServerFixture.NoteA, "@vaswani2017]", 3);
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/a.md"), line, ch));
        Assert.Contains("Attention Is All You Need", hover.ToString());
    }

    [Fact]
    public async Task Malformed_json_gets_a_parse_error_and_the_server_keeps_serving()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        await client.SendRawAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": "));
        var error = await client.WaitForNotificationAsync("(response without id)", _ => true);
        Assert.Equal(-32700, error.GetProperty("error").GetProperty("code").GetInt32());
        await AssertStillServing(client, ws);
    }

    [Fact]
    public async Task Header_without_content_length_and_non_object_messages_are_rejected_not_fatal()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        await client.SendRawAsync([], "X-Junk: 1\r\n\r\n");
        await client.SendRawAsync(Encoding.UTF8.GetBytes("[1,2,3]"));
        await client.SendRawAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":77}"));
        await AssertStillServing(client, ws);
        var errors = client.Notifications("(response without id)").Select(e => e.GetProperty("error").GetProperty("code").GetInt32()).ToList();
        Assert.Equal([-32700, -32600], errors);
    }

    [Fact]
    public async Task Unknown_methods_get_method_not_found()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        var response = await client.RequestAsync("paperNotes/doesNotExist", new JsonObject());
        Assert.Equal(-32601, response.GetProperty("error").GetProperty("code").GetInt32());
        await AssertStillServing(client, ws);
    }

    [Fact]
    public async Task Wrong_params_get_an_error_response_and_the_server_keeps_serving()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        var response = await client.RequestAsync("textDocument/hover", new JsonObject { ["textDocument"] = "not an object", ["position"] = 3 });
        Assert.True(response.TryGetProperty("error", out _));
        await AssertStillServing(client, ws);
    }

    [Fact]
    public async Task An_exception_inside_a_handler_is_an_error_response_and_a_log_line()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        // Resolve data the server itself would never send: its handler fails while reading it.
        var response = await client.RequestAsync("completionItem/resolve", new JsonObject { ["label"] = "x", ["data"] = new JsonObject { ["key"] = 5 } });
        Assert.Equal(-32603, response.GetProperty("error").GetProperty("code").GetInt32());
        await client.WaitForNotificationAsync("window/logMessage", m => m.GetProperty("message").GetString()!.StartsWith("completionItem/resolve failed"));
        await AssertStillServing(client, ws);
    }

    [Fact]
    public async Task Parameters_that_do_not_read_as_the_methods_are_invalid_params()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        var response = await client.RequestAsync("textDocument/hover", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("notes/a.md")) },
            ["position"] = "the third line",
        });
        Assert.Equal(-32602, response.GetProperty("error").GetProperty("code").GetInt32());
        await AssertStillServing(client, ws);
    }

    [Fact]
    public async Task A_second_initialize_is_an_error_and_leaves_the_workspace_as_it_was()
    {
        using var ws = ServerFixture.Create();
        using var other = new TempWorkspace(("x.md", "Nothing here."));
        await using var client = await Started(ws);
        var again = await client.RequestAsync("initialize", new JsonObject { ["processId"] = null, ["rootUri"] = LspTestClient.Uri(other.Root), ["capabilities"] = new JsonObject() });
        Assert.Equal(-32600, again.GetProperty("error").GetProperty("code").GetInt32());
        await client.NotifyAsync("initialized", new JsonObject());
        // Re-rooted at the other folder, the note's library would be gone.
        await AssertStillServing(client, ws);
    }

    [Fact]
    public async Task Unknown_documents_and_positions_outside_give_empty_results()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        var never = await client.ResultAsync("textDocument/hover", LspTestClient.At("/nowhere/x.md", 0, 0));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, never.ValueKind);
        var outside = await client.ResultAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/a.md"), 500, 3));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, outside.ValueKind);
        var refs = await client.ResultAsync("textDocument/references", LspTestClient.At(ws.Path("notes/a.md"), 999, 0));
        Assert.Empty(refs.EnumerateArray());
        var completion = await client.ResultAsync("textDocument/completion", LspTestClient.At("/nowhere/x.md", 0, 0));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, completion.ValueKind);
    }

    [Fact]
    public async Task A_10_MB_note_does_not_block_other_requests()
    {
        using var ws = ServerFixture.Create();
        await using var client = await Started(ws);
        var big = new StringBuilder();
        while (big.Length < 10_000_000) big.Append("A long line that cites [@vaswani2017] and @unknownkey again and again.\n");
        await client.OpenAsync(ws.Path("notes/big.md"), big.ToString());
        // A hover elsewhere does not wait for the big note (WorkspaceStateTests pins that down deterministically).
        await AssertStillServing(client, ws);
        await client.WaitForDiagnosticsAsync(ws.Path("notes/big.md"), d => d.Length > 1000, TimeSpan.FromSeconds(60));
        // A request about the big note itself waits for its text and then sees it.
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/big.md"), 1000, 28));
        Assert.Contains("Attention Is All You Need", hover.ToString());
    }

    [Fact]
    public async Task Cancelled_requests_are_answered_with_request_cancelled()
    {
        using var ws = ServerFixture.Create();
        // No time limit and no index yet (initialized not sent): the hover waits for the index until the cancel,
        // whatever the machine's speed.
        await using var client = LspTestClient.InProcess(readyLimit: Timeout.InfiniteTimeSpan);
        await client.InitializeAsync(ws.Root, sendInitialized: false);
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        var (line, ch) = ServerFixture.Find(ServerFixture.NoteA, "@vaswani2017]", 3);
        var (id, response) = client.StartRequest("textDocument/hover", LspTestClient.At(ws.Path("notes/a.md"), line, ch));
        await client.NotifyAsync("$/cancelRequest", new JsonObject { ["id"] = id });
        var message = await response.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(-32800, message.GetProperty("error").GetProperty("code").GetInt32());
        await client.NotifyAsync("initialized", new JsonObject());
        await AssertStillServing(client, ws);
    }
}
