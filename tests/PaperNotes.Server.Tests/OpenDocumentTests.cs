namespace PaperNotes.Server.Tests;

public class OpenDocumentTests
{
    [Fact]
    public async Task Open_documents_win_over_the_disk_until_closed()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        var b = ws.Path("notes/b.md");
        await client.OpenAsync(b, "Edited in the editor: @vaswani2017 only.\n");
        await client.WaitForDiagnosticsAsync(b, d => d.Length == 0);

        // The disk changes under the open document: the editor's text still counts.
        ws.Write("notes/b.md", "On disk: @anotherunknown.\n");
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new System.Text.Json.Nodes.JsonObject
        {
            ["changes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["uri"] = LspTestClient.Uri(b), ["type"] = 2 }),
        });
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(b, 0, 25));
        Assert.Contains("Attention Is All You Need", hover.ToString());

        // Closed: the disk is the truth again.
        await client.NotifyAsync("textDocument/didClose", new System.Text.Json.Nodes.JsonObject
        {
            ["textDocument"] = new System.Text.Json.Nodes.JsonObject { ["uri"] = LspTestClient.Uri(b) },
        });
        await client.WaitForDiagnosticsAsync(b, d => d.Length == 1 && d[0].GetProperty("message").GetString()!.Contains("anotherunknown"));
    }
}
