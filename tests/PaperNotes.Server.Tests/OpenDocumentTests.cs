namespace PaperNotes.Server.Tests;

public class OpenDocumentTests
{
    [Fact]
    public async Task A_library_written_then_opened_in_the_editor_is_counted_and_reported()
    {
        // What the import command does: the CLI writes a new CSL-YAML library, then the editor opens it.
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        var indexed = await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        int before = indexed.GetProperty("papers").GetInt32();
        const string yaml = "- id: toy2024\n  title: A toy paper\n- id: endtoend2025\n  title: End to end\n";
        ws.Write("daily.csl.yaml", yaml);
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new System.Text.Json.Nodes.JsonObject
        {
            ["changes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("daily.csl.yaml")), ["type"] = 1 }),
        });
        await client.OpenAsync(ws.Path("daily.csl.yaml"), yaml, "yaml");
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => p.GetProperty("papers").GetInt32() == before + 2);
    }

    [Fact]
    public async Task Open_documents_win_over_the_disk_until_closed()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        var b = ws.Path("notes/b.md");
        // The disk's finding first: an empty set is sent only to clear one, so a note opened before the first
        // publication (clean from the start) would never get one, and this wait would race the publisher.
        await client.WaitForDiagnosticsAsync(b, d => d.Length == 1);
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

    [Fact]
    public async Task Typing_into_a_paragraph_moves_everything_after_it()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        var b = ws.Path("notes/b.md");
        await client.OpenAsync(b, "First paragraph.\n\nSecond @vaswani2017 here.\n\nThird [@nosuchkey].\n");
        await client.WaitForDiagnosticsAsync(b, d => d.Length == 1 && d[0].GetProperty("range").GetProperty("start").GetProperty("line").GetInt32() == 4);

        // A citation typed into the first paragraph (parsed again alone); the rest moves by its length.
        await Change(client, b, 2, 0, 0, "Typed [@alsounknown] ");
        var diagnostics = (await client.WaitForDiagnosticsAsync(b, d => d.Length == 2)).GetProperty("diagnostics");
        Assert.Equal((0, 8), Start(diagnostics[0])); // the key, after the @
        Assert.Equal((4, 8), Start(diagnostics[1]));
        // The citation in the second paragraph still resolves at its (unchanged) line.
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(b, 2, 10));
        Assert.Contains("Attention Is All You Need", hover.ToString());

        // A line break typed: the whole note is parsed again and the lines move.
        await Change(client, b, 3, 0, 0, "New line\n");
        diagnostics = (await client.WaitForDiagnosticsAsync(b, d => d.Length == 2 && d[1].GetProperty("range").GetProperty("start").GetProperty("line").GetInt32() == 5)).GetProperty("diagnostics");
        Assert.Equal((1, 8), Start(diagnostics[0]));
    }

    private static Task Change(LspTestClient client, string path, int version, int line, int character, string text) =>
        client.NotifyAsync("textDocument/didChange", new System.Text.Json.Nodes.JsonObject
        {
            ["textDocument"] = new System.Text.Json.Nodes.JsonObject { ["uri"] = LspTestClient.Uri(path), ["version"] = version },
            ["contentChanges"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["range"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["start"] = new System.Text.Json.Nodes.JsonObject { ["line"] = line, ["character"] = character },
                    ["end"] = new System.Text.Json.Nodes.JsonObject { ["line"] = line, ["character"] = character },
                },
                ["text"] = text,
            }),
        });

    private static (int Line, int Character) Start(System.Text.Json.JsonElement diagnostic)
    {
        var start = diagnostic.GetProperty("range").GetProperty("start");
        return (start.GetProperty("line").GetInt32(), start.GetProperty("character").GetInt32());
    }
}
