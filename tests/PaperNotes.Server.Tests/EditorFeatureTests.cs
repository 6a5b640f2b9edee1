using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

/// <summary>Inlay hints, code lenses, semantic tokens, unused entries, open commands and refreshes, over the wire.</summary>
public class EditorFeatureTests
{
    private const string Uncited = "\n@misc{lonely2023, title = {Nobody Cites This}}\n";

    /// <summary>An editor that refreshes views and shows documents for the server (VS Code does).</summary>
    private static JsonObject Capabilities => new()
    {
        ["workspace"] = new JsonObject
        {
            ["inlayHint"] = new JsonObject { ["refreshSupport"] = true },
            ["codeLens"] = new JsonObject { ["refreshSupport"] = true },
            ["semanticTokens"] = new JsonObject { ["refreshSupport"] = true },
        },
        ["window"] = new JsonObject { ["showDocument"] = new JsonObject { ["support"] = true } },
    };

    private static async Task<(TempWorkspace Ws, LspTestClient Client)> StartedAsync()
    {
        var ws = new TempWorkspace(
            ("library/refs.bib", ServerFixture.Bib + Uncited),
            ("notes/a.md", ServerFixture.NoteA),
            ("notes/b.md", ServerFixture.NoteB),
            ("notes/papers/vaswani2017.md", ServerFixture.PaperNote));
        var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root, Capabilities);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        return (ws, client);
    }

    private static JsonObject Document(string path) => new() { ["uri"] = LspTestClient.Uri(path) };

    private static JsonObject Range(int startLine, int startCharacter, int endLine, int endCharacter) => new()
    {
        ["start"] = new JsonObject { ["line"] = startLine, ["character"] = startCharacter },
        ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
    };

    [Fact]
    public async Task Inlay_hints_follow_resolved_citations_in_the_range_and_resolve_to_the_hover()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var hints = await client.ResultAsync("textDocument/inlayHint", new JsonObject { ["textDocument"] = Document(ws.Path("notes/a.md")), ["range"] = Range(2, 0, 3, 0) });
        var rendered = hints.EnumerateArray().Select(h => $"{h.GetProperty("position").GetProperty("line")}:{h.GetProperty("position").GetProperty("character")} {h.GetProperty("label").GetString()}");
        Assert.Equal(["2:26 Vaswani et al. 2017 · Attention Is All You Need", "2:70 Tian et al. 2021 · Understanding Self-supervised Learning…"], rendered);
        var resolved = await client.ResultAsync("inlayHint/resolve", JsonNode.Parse(hints[0].GetRawText()));
        Assert.Contains("The dominant sequence transduction models", resolved.GetProperty("tooltip").GetProperty("value").GetString());
    }

    [Fact]
    public async Task The_hint_setting_turns_them_off_and_asks_for_a_refresh()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject
        {
            ["settings"] = new JsonObject { ["paperNotes"] = new JsonObject { ["inlayHints"] = new JsonObject { ["citations"] = "off" } } },
        });
        await client.WaitForServerRequestAsync("workspace/inlayHint/refresh");
        var hints = await client.ResultAsync("textDocument/inlayHint", new JsonObject { ["textDocument"] = Document(ws.Path("notes/a.md")), ["range"] = Range(0, 0, 9, 0) });
        Assert.Empty(hints.EnumerateArray());
    }

    [Fact]
    public async Task Code_lenses_count_citing_notes_and_resolve_to_a_show_references_command()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var bib = ws.Path("library/refs.bib");
        var lenses = await client.ResultAsync("textDocument/codeLens", new JsonObject { ["textDocument"] = Document(bib) });
        Assert.Equal(3, lenses.GetArrayLength());
        var titles = new List<string>();
        foreach (var lens in lenses.EnumerateArray())
        {
            var resolved = await client.ResultAsync("codeLens/resolve", JsonNode.Parse(lens.GetRawText()));
            var command = resolved.GetProperty("command");
            Assert.Equal("paperNotes.showReferences", command.GetProperty("command").GetString());
            titles.Add($"{command.GetProperty("title").GetString()} {command.GetProperty("arguments")[2].GetArrayLength()}");
        }
        // vaswani2017: notes a and b (not the one in a code span); tian: note a; lonely: nowhere.
        Assert.Equal(["cited in 2 notes 2", "cited in 1 note 1", "not cited 0"], titles);
    }

    [Fact]
    public async Task Semantic_tokens_mark_resolved_and_unresolved_citations()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var tokens = await client.ResultAsync("textDocument/semanticTokens/range", new JsonObject { ["textDocument"] = Document(ws.Path("notes/a.md")), ["range"] = Range(3, 0, 4, 0) });
        // Line 3 of NoteA: "A typo: [see @vaswani2071, p. 3]. ..." — one unresolved citation: variable + deprecated.
        Assert.Equal([3, 13, 12, 0, 4], tokens.GetProperty("data").EnumerateArray().Select(e => e.GetInt32()).Take(5));
        var full = await client.ResultAsync("textDocument/semanticTokens/full", new JsonObject { ["textDocument"] = Document(ws.Path("notes/a.md")) });
        Assert.Equal(5 * 5, full.GetProperty("data").GetArrayLength()); // 3 citations (not the one in code), 2 wiki links
    }

    [Fact]
    public async Task An_uncited_entry_of_a_small_library_is_a_faded_hint_until_a_note_cites_it()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var bib = ws.Path("library/refs.bib");
        var published = await client.WaitForDiagnosticsAsync(bib, d => d.Length == 1);
        var hint = published.GetProperty("diagnostics")[0];
        Assert.Equal("unused-entry", hint.GetProperty("code").GetString());
        Assert.Equal(4, hint.GetProperty("severity").GetInt32());
        Assert.Equal([1], hint.GetProperty("tags").EnumerateArray().Select(t => t.GetInt32()));
        await client.OpenAsync(ws.Path("notes/c.md"), "Now @lonely2023 is cited.\n");
        await client.WaitForDiagnosticsAsync(bib, d => d.Length == 0);
        await client.WaitForServerRequestAsync("workspace/codeLens/refresh");
    }

    [Fact]
    public async Task Open_paper_note_is_a_command_the_server_runs_with_show_document()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var (line, ch) = ServerFixture.Find(ServerFixture.NoteA, "@vaswani2017]", 3);
        var actions = await client.ResultAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = Document(ws.Path("notes/a.md")),
            ["range"] = Range(line, ch, line, ch),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
        });
        var open = actions.EnumerateArray().Single(a => a.GetProperty("title").GetString() == "Open paper note of @vaswani2017");
        var command = open.GetProperty("command");
        await client.ResultAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = command.GetProperty("command").GetString(),
            ["arguments"] = JsonNode.Parse(command.GetProperty("arguments").GetRawText()),
        });
        var shown = await client.WaitForServerRequestAsync("window/showDocument");
        Assert.EndsWith("/notes/papers/vaswani2017.md", shown.GetProperty("uri").GetString());
    }
}
