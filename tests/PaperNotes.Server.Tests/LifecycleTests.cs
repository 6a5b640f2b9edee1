using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

public class LifecycleTests
{
    [Fact]
    public async Task Initialize_announces_utf16_and_every_feature()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        var result = (await client.InitializeAsync(ws.Root)).GetProperty("result");
        var caps = result.GetProperty("capabilities");
        Assert.Equal("utf-16", caps.GetProperty("positionEncoding").GetString());
        Assert.Equal(2, caps.GetProperty("textDocumentSync").GetProperty("change").GetInt32());
        foreach (var name in new[] { "hoverProvider", "definitionProvider", "referencesProvider", "workspaceSymbolProvider", "documentSymbolProvider" })
            Assert.True(caps.GetProperty(name).GetBoolean(), name);
        Assert.Equal(["@", "["], caps.GetProperty("completionProvider").GetProperty("triggerCharacters").EnumerateArray().Select(e => e.GetString()));
        Assert.True(caps.GetProperty("renameProvider").GetProperty("prepareProvider").GetBoolean());
        Assert.Equal("papernotes", result.GetProperty("serverInfo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Process_exits_0_after_shutdown_and_exit()
    {
        using var ws = ServerFixture.Create();
        var (client, process) = LspTestClient.Process("serve");
        await using (client)
        {
            await client.InitializeAsync(ws.Root);
            await client.ShutdownAsync();
            Assert.Equal(0, await client.ServerExit!.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        process.Dispose();
    }

    [Fact]
    public async Task Process_exits_1_on_exit_without_shutdown_and_accepts_stdio_flag()
    {
        using var ws = ServerFixture.Create();
        var (client, process) = LspTestClient.Process("--stdio");
        await using (client)
        {
            await client.InitializeAsync(ws.Root);
            await client.NotifyAsync("exit", null);
            Assert.Equal(1, await client.ServerExit!.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        process.Dispose();
    }

    [Fact]
    public async Task Indexing_reports_progress_and_library_size()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root, new JsonObject { ["window"] = new JsonObject { ["workDoneProgress"] = true } });
        var end = await client.WaitForNotificationAsync("$/progress", p => p.GetProperty("value").GetProperty("kind").GetString() == "end");
        Assert.Equal("2 papers, 3 notes", end.GetProperty("value").GetProperty("message").GetString());
        Assert.Contains(client.Notifications("$/progress"), p => p.GetProperty("value").GetProperty("kind").GetString() == "begin");
        Assert.Contains(client.ServerRequests, r => r.GetProperty("method").GetString() == "window/workDoneProgress/create");
        var status = await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        Assert.Equal(2, status.GetProperty("papers").GetInt32());
        Assert.Equal(3, status.GetProperty("notes").GetInt32());
    }

    [Fact]
    public async Task Settings_from_workspace_configuration_choose_the_notes()
    {
        using var ws = ServerFixture.Create();
        ws.Write("docs/only.md", "Cites @vaswani2017.\n");
        await using var client = LspTestClient.InProcess();
        client.Settings = new JsonObject { ["notes"] = new JsonArray("docs/**/*.md"), ["library"] = new JsonArray() };
        await client.InitializeAsync(ws.Root, new JsonObject { ["workspace"] = new JsonObject { ["configuration"] = true } });
        var status = await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        Assert.Equal(1, status.GetProperty("notes").GetInt32());
        Assert.Equal(2, status.GetProperty("papers").GetInt32());
    }

    [Fact]
    public async Task File_watchers_are_registered_when_the_client_allows()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root, new JsonObject
        {
            ["workspace"] = new JsonObject { ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true } },
        });
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        var registration = Assert.Single(client.ServerRequests, r => r.GetProperty("method").GetString() == "client/registerCapability");
        Assert.Contains("workspace/didChangeWatchedFiles", registration.ToString());
        Assert.Contains("**/*.{bib,bibtex}", registration.ToString());
    }

    [Fact]
    public async Task Notes_of_another_extension_in_the_settings_get_their_own_watcher()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        client.Settings = new JsonObject { ["notes"] = new JsonArray("docs/**/*.qmd", "**/*.md") };
        await client.InitializeAsync(ws.Root, new JsonObject
        {
            ["workspace"] = new JsonObject
            {
                ["configuration"] = true,
                ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true },
            },
        });
        await client.WaitForServerRequestAsync("client/registerCapability", r => r.ToString().Contains("**/*.qmd"));
        var registrations = client.ServerRequests.Where(r => r.GetProperty("method").GetString() == "client/registerCapability").ToList();
        Assert.Equal(2, registrations.Count);
        Assert.DoesNotContain("**/*.md\"", registrations[1].ToString());
    }

    [Fact]
    public async Task A_client_that_never_answers_the_servers_requests_still_gets_an_indexed_workspace()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess(clientAnswerLimit: TimeSpan.FromMilliseconds(200));
        client.NeverAnswer = method => method is "client/registerCapability" or "workspace/configuration" or "window/workDoneProgress/create";
        await client.InitializeAsync(ws.Root, new JsonObject
        {
            ["window"] = new JsonObject { ["workDoneProgress"] = true },
            ["workspace"] = new JsonObject
            {
                ["configuration"] = true,
                ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true },
            },
        });
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        var (line, character) = ServerFixture.Find(ServerFixture.NoteA, "@vaswani2017]", 3);
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/a.md"), line, character));
        Assert.Contains("Attention Is All You Need", hover.ToString());
        foreach (var method in new[] { "client/registerCapability", "workspace/configuration", "window/workDoneProgress/create" })
            await client.WaitForNotificationAsync("window/logMessage", p => p.GetProperty("message").GetString()!.Contains($"has not answered {method}"));
    }
}
