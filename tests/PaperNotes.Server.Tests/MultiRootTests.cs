using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

/// <summary>Every workspace folder is indexed; a note sees its own folder's libraries; folders come and go.</summary>
public class MultiRootTests
{
    private static JsonObject Folder(string path) => new() { ["uri"] = LspTestClient.Uri(path), ["name"] = Path.GetFileName(path) };

    [Fact]
    public async Task Each_folder_is_indexed_and_a_note_sees_the_libraries_of_its_own_folder()
    {
        using var a = new TempWorkspace(("refs.bib", "@misc{alpha2020, title = {Alpha Paper}}\n"), ("note.md", "Cites @alpha2020 and @beta2021.\n"));
        using var b = new TempWorkspace(("refs.bib", "@misc{beta2021, title = {Beta Paper}}\n"), ("note.md", "Cites @beta2021.\n"));
        await using var client = LspTestClient.InProcess();
        await client.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = null,
            ["rootUri"] = LspTestClient.Uri(a.Root),
            ["workspaceFolders"] = new JsonArray(Folder(a.Root), Folder(b.Root)),
            ["capabilities"] = new JsonObject(),
        });
        await client.NotifyAsync("initialized", new JsonObject());
        var inA = await client.WaitForDiagnosticsAsync(a.Path("note.md"), d => d.Length > 0);
        Assert.Equal("unknown citation key 'beta2021'", Assert.Single(inA.GetProperty("diagnostics").EnumerateArray()).GetProperty("message").GetString());
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(b.Path("note.md"), 0, 8));
        Assert.Contains("Beta Paper", hover.ToString());
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", s => s.GetProperty("papers").GetInt32() == 2);
    }

    [Fact]
    public async Task Added_folders_are_indexed_and_removed_ones_lose_their_diagnostics()
    {
        using var a = new TempWorkspace(("refs.bib", "@misc{alpha2020, title = {Alpha Paper}}\n"), ("note.md", "Cites @alpha2020.\n"));
        using var c = new TempWorkspace(("note.md", "Cites @gamma2022.\n"));
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(a.Root);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", s => !s.GetProperty("indexing").GetBoolean());
        await client.NotifyAsync("workspace/didChangeWorkspaceFolders", new JsonObject
        {
            ["event"] = new JsonObject { ["added"] = new JsonArray(Folder(c.Root)), ["removed"] = new JsonArray() },
        });
        await client.WaitForDiagnosticsAsync(c.Path("note.md"), d => d.Length == 1);
        await client.NotifyAsync("workspace/didChangeWorkspaceFolders", new JsonObject
        {
            ["event"] = new JsonObject { ["added"] = new JsonArray(), ["removed"] = new JsonArray(Folder(c.Root)) },
        });
        await client.WaitForDiagnosticsAsync(c.Path("note.md"), d => d.Length == 0);
        var symbols = await client.ResultAsync("workspace/symbol", new JsonObject { ["query"] = "" });
        Assert.DoesNotContain(c.Root, symbols.ToString());
    }
}
