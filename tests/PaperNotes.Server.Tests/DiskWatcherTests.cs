namespace PaperNotes.Server.Tests;

public class DiskWatcherTests
{
    [Fact]
    public async Task Without_client_watchers_the_server_watches_the_disk_itself()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root); // no didChangeWatchedFiles capability
        await client.WaitForDiagnosticsAsync(ws.Path("notes/b.md"), d => d.Length == 1);
        ws.Write("library/more.bib", "@misc{unknownkey, title = {Found on disk}}\n");
        await client.WaitForDiagnosticsAsync(ws.Path("notes/b.md"), d => d.Length == 0, TimeSpan.FromSeconds(10));
        ws.Write("notes/fresh.md", "A new note citing @stillmissing.\n");
        await client.WaitForDiagnosticsAsync(ws.Path("notes/fresh.md"), d => d.Length == 1, TimeSpan.FromSeconds(10));
        Assert.Contains(client.Notifications("window/logMessage"), m => m.GetProperty("message").GetString()!.Contains($"watching {ws.Root} directly"));
    }
}
