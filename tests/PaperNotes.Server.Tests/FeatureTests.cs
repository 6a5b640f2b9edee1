using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

/// <summary>Every LSP feature over the wire, on a workspace where only some notes are opened.</summary>
public class FeatureTests
{
    private static async Task<(TempWorkspace Ws, LspTestClient Client)> StartedAsync(JsonObject? capabilities = null)
    {
        var ws = ServerFixture.Create();
        var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root, capabilities ?? LikeVsCode);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        return (ws, client);
    }

    /// <summary>An editor that applies file creations in workspace edits and shows label details (VS Code does).</summary>
    private static JsonObject LikeVsCode => new()
    {
        ["workspace"] = new JsonObject { ["workspaceEdit"] = new JsonObject { ["resourceOperations"] = new JsonArray("create") } },
        ["textDocument"] = new JsonObject { ["completion"] = new JsonObject { ["completionItem"] = new JsonObject { ["labelDetailsSupport"] = true, ["insertReplaceSupport"] = true } } },
    };

    private static JsonObject At(TempWorkspace ws, string note, string needle, int into = 2)
    {
        var text = File.ReadAllText(ws.Path(note));
        var (line, ch) = ServerFixture.Find(text, needle, into);
        return LspTestClient.At(ws.Path(note), line, ch);
    }

    private static string Range(JsonElement range) =>
        $"{range.GetProperty("start").GetProperty("line")}:{range.GetProperty("start").GetProperty("character")}-" +
        $"{range.GetProperty("end").GetProperty("line")}:{range.GetProperty("end").GetProperty("character")}";

    [Fact]
    public async Task Unopened_notes_and_library_files_get_diagnostics_after_indexing()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var b = await client.WaitForDiagnosticsAsync(ws.Path("notes/b.md"), d => d.Length == 1);
        var diagnostic = b.GetProperty("diagnostics")[0];
        Assert.Equal("unknown-citation", diagnostic.GetProperty("code").GetString());
        Assert.Equal("0:39-0:49", Range(diagnostic.GetProperty("range")));
        var a = await client.WaitForDiagnosticsAsync(ws.Path("notes/a.md"), d => d.Length == 2);
        var codes = a.GetProperty("diagnostics").EnumerateArray().Select(d => $"{d.GetProperty("code")}: {d.GetProperty("message")}").ToList();
        Assert.Equal(
        [
            "unknown-citation: unknown citation key 'vaswani2071'; did you mean 'vaswani2017'?",
            "broken-link: broken link: no note named 'missing'",
        ], codes);
        Assert.Equal("vaswani2017", a.GetProperty("diagnostics")[0].GetProperty("data").GetProperty("suggestions")[0].GetString());
    }

    [Fact]
    public async Task Hover_on_a_citation_shows_the_paper_its_note_and_where_it_is_defined()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var hover = await client.ResultAsync("textDocument/hover", At(ws, "notes/a.md", "@vaswani2017]", 4));
        var markdown = hover.GetProperty("contents").GetProperty("value").GetString()!;
        Assert.Equal("markdown", hover.GetProperty("contents").GetProperty("kind").GetString());
        Assert.StartsWith("**Attention Is All You Need**", markdown);
        Assert.Contains("Ashish Vaswani, Noam Shazeer, Niki Parmar et al. · 2017 · *Advances in Neural Information Processing Systems*", markdown);
        Assert.Contains("> The dominant sequence transduction models", markdown);
        Assert.Contains("[DOI 10.5555/3295222.3295349](https://doi.org/10.5555/3295222.3295349)", markdown);
        Assert.Contains("notes/papers/vaswani2017.md", markdown);
        Assert.Contains("library/refs.bib:3", markdown);
        Assert.Contains("cited in 2 notes", markdown);
        Assert.Equal("2:15-2:26", Range(hover.GetProperty("range")));
    }

    [Theory]
    [InlineData("Transformers", 2)]
    [InlineData("ada@example.com", 4)]
    [InlineData("`@vaswani2017`", 3)]
    public async Task Hover_on_plain_text_email_or_code_is_empty(string needle, int into)
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var hover = await client.ResultAsync("textDocument/hover", At(ws, "notes/a.md", needle, into));
        Assert.Equal(JsonValueKind.Null, hover.ValueKind);
    }

    [Fact]
    public async Task Hover_on_a_wiki_link_shows_the_note_title_and_first_paragraph()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        await client.OpenAsync(ws.Path("notes/c.md"), "Link to [[vaswani2017]].\n");
        var hover = await client.ResultAsync("textDocument/hover", At(ws, "notes/a.md", "[[b]]", 2));
        Assert.Contains("Unopened note citing", hover.GetProperty("contents").GetProperty("value").GetString());
        var paperNote = await client.ResultAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/c.md"), 0, 12));
        Assert.Contains("**Notes on Attention**", paperNote.GetProperty("contents").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Completion_after_at_finds_papers_by_title_word_and_replaces_the_fragment()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        await client.OpenAsync(ws.Path("notes/new.md"), "Compare @contrast");
        var list = await client.ResultAsync("textDocument/completion", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("notes/new.md")) },
            ["position"] = new JsonObject { ["line"] = 0, ["character"] = 17 },
            ["context"] = new JsonObject { ["triggerKind"] = 1 },
        });
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("tian2021understanding", item.GetProperty("label").GetString());
        Assert.Equal("Understanding Self-supervised Learning Dynamics without Contrastive Pairs", item.GetProperty("labelDetails").GetProperty("description").GetString());
        Assert.Equal("Tian et al. · 2021", item.GetProperty("detail").GetString());
        Assert.StartsWith("contrast ", item.GetProperty("filterText").GetString());
        Assert.Equal("tian2021understanding", item.GetProperty("textEdit").GetProperty("newText").GetString());
        Assert.Equal("0:9-0:17", Range(item.GetProperty("textEdit").GetProperty("range")));

        var resolved = await client.ResultAsync("completionItem/resolve", JsonNode.Parse(item.GetRawText()));
        Assert.Contains("While contrastive approaches", resolved.GetProperty("documentation").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Completion_after_double_bracket_offers_notes_and_paper_notes()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        await client.OpenAsync(ws.Path("notes/new.md"), "See [[");
        var list = await client.ResultAsync("textDocument/completion", LspTestClient.At(ws.Path("notes/new.md"), 0, 6));
        var labels = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("label").GetString()).ToList();
        Assert.Equal(["vaswani2017", "a", "b"], labels);
    }

    [Fact]
    public async Task Incremental_edits_update_diagnostics()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        await client.WaitForDiagnosticsAsync(ws.Path("notes/a.md"), d => d.Length == 2);
        var (line, ch) = ServerFixture.Find(ServerFixture.NoteA, "2071", 0);
        await client.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("notes/a.md")), ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject
            {
                ["range"] = new JsonObject
                {
                    ["start"] = new JsonObject { ["line"] = line, ["character"] = ch },
                    ["end"] = new JsonObject { ["line"] = line, ["character"] = ch + 4 },
                },
                ["text"] = "2017",
            }),
        });
        var after = await client.WaitForDiagnosticsAsync(ws.Path("notes/a.md"), d => d.Length == 1);
        Assert.Equal(2, after.GetProperty("version").GetInt32());
        Assert.Equal("broken-link", after.GetProperty("diagnostics")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_library_file_changed_on_disk_updates_hovers_and_diagnostics()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        await client.WaitForDiagnosticsAsync(ws.Path("notes/b.md"), d => d.Length == 1);
        var bib = ws.Write("library/refs.bib", ServerFixture.Bib + "\n@misc{unknownkey, title = {Now Known}, year = 2024}\n");
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["uri"] = LspTestClient.Uri(bib), ["type"] = 2 }),
        });
        // The server reacts at once (no debounce); the generous timeout only keeps a loaded CI machine from flaking.
        await client.WaitForDiagnosticsAsync(ws.Path("notes/b.md"), d => d.Length == 0, TimeSpan.FromSeconds(5));
        var hover = await client.ResultAsync("textDocument/hover", At(ws, "notes/b.md", "@unknownkey", 3));
        Assert.StartsWith("**Now Known**", hover.GetProperty("contents").GetProperty("value").GetString());
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => p.GetProperty("papers").GetInt32() == 3);

        File.Delete(bib);
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["uri"] = LspTestClient.Uri(bib), ["type"] = 3 }),
        });
        await client.WaitForDiagnosticsAsync(ws.Path("notes/b.md"), d => d.Length == 2);
    }

    [Fact]
    public async Task A_rewrite_that_keeps_the_keys_refreshes_what_entries_show_and_the_other_libraries_findings()
    {
        // A reference manager's export after a field edit: no key comes or goes, so no note's findings change and only
        // the library files are checked again; what the entries say (titles inline, the preview's items) is refreshed.
        var (ws, client) = await StartedAsync(new JsonObject
        {
            ["workspace"] = new JsonObject
            {
                ["inlayHint"] = new JsonObject { ["refreshSupport"] = true },
                ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true },
            },
        });
        using var _ = ws;
        await using var __ = client;
        var other = ws.Write("library/other.bib", "@misc{lonely2020, title = {Lonely}, year = 2020}\n");
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["uri"] = LspTestClient.Uri(other), ["type"] = 1 }),
        });
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => p.GetProperty("papers").GetInt32() == 3);
        List<JsonElement> Asked(string method) { lock (client.ServerRequests) return client.ServerRequests.Where(r => r.GetProperty("method").GetString() == method).ToList(); }
        int refreshes = Asked("workspace/inlayHint/refresh").Count;
        int statuses = client.Notifications("paperNotes/libraryStatus").Count, seen = 0;

        // Retitled, and the other library's key defined once more: still the same keys.
        var bib = ws.Write("library/refs.bib", ServerFixture.Bib.Replace("Attention Is All You Need", "Attention Was All We Needed")
            + "\n@misc{lonely2020, title = {Lonely Again}, year = 2021}\n");
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["uri"] = LspTestClient.Uri(bib), ["type"] = 2 }),
        });
        // The other library's entry is now a duplicate (it wins: first in path order), which only finding its
        // diagnostics again shows.
        await client.WaitForDiagnosticsAsync(other, d => d.Any(x => x.GetProperty("code").GetString() == "duplicate-key"), TimeSpan.FromSeconds(10));
        await client.WaitForServerRequestAsync("workspace/inlayHint/refresh", _ => Asked("workspace/inlayHint/refresh").Count > refreshes);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", _ => ++seen > statuses);
        var hover = await client.ResultAsync("textDocument/hover", At(ws, "notes/a.md", "@vaswani2017", 3));
        Assert.StartsWith("**Attention Was All We Needed**", hover.GetProperty("contents").GetProperty("value").GetString());
        // The note's findings are those of before: the typo is still one, with the same "did you mean".
        var note = await client.WaitForDiagnosticsAsync(ws.Path("notes/a.md"), d => d.Length > 0);
        Assert.Contains(note.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("message").GetString()!.Contains("vaswani2071"));
    }

    [Fact]
    public async Task A_note_created_on_disk_is_indexed()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var path = ws.Write("notes/created.md", "New note citing @nobody.\n");
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["uri"] = LspTestClient.Uri(path), ["type"] = 1 }),
        });
        await client.WaitForDiagnosticsAsync(path, d => d.Length == 1);
    }

    [Fact]
    public async Task Crlf_and_emoji_positions_are_utf16()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var path = ws.Path("notes/emoji.md");
        await client.OpenAsync(path, "# 😀 Title\r\n\r\n😀😀 研究 [@vaswani2017] and @nope\r\n");
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(path, 2, 10));
        Assert.Equal("2:10-2:21", Range(hover.GetProperty("range")));
        var diagnostics = await client.WaitForDiagnosticsAsync(path, d => d.Length == 1);
        Assert.Equal("2:28-2:32", Range(diagnostics.GetProperty("diagnostics")[0].GetProperty("range")));
    }

    [Fact]
    public async Task Completion_for_clients_without_label_details_puts_the_title_in_the_detail()
    {
        var (ws, client) = await StartedAsync(new JsonObject()); // Neovim's and Eglot's built-in menus
        using var _ = ws;
        await using var __ = client;
        await client.OpenAsync(ws.Path("notes/new.md"), "Compare @contrast");
        var list = await client.ResultAsync("textDocument/completion", LspTestClient.At(ws.Path("notes/new.md"), 0, 17));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.False(item.TryGetProperty("labelDetails", out var _));
        Assert.Equal("Tian et al. · 2021 · Understanding Self-supervised Learning Dynamics without Contrastive Pairs", item.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_key_shorter_than_the_word_it_replaces_is_left_to_the_editor_in_clients_without_insert_replace()
    {
        // Eglot 1.9 deleted text after the cursor when a text edit's new text was shorter than the word it replaced.
        var (ws, client) = await StartedAsync(new JsonObject());
        using var _ = ws;
        await using var __ = client;
        await client.OpenAsync(ws.Path("notes/new.md"), "See @transduction and more");
        var list = await client.ResultAsync("textDocument/completion", LspTestClient.At(ws.Path("notes/new.md"), 0, 17));
        var item = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("label").GetString() == "vaswani2017");
        Assert.False(item.TryGetProperty("textEdit", out var _));
        Assert.Equal("vaswani2017", item.GetProperty("insertText").GetString());

        var (ws2, vscode) = await StartedAsync();
        using var ___ = ws2;
        await using var ____ = vscode;
        await vscode.OpenAsync(ws2.Path("notes/new.md"), "See @transduction and more");
        var items = await vscode.ResultAsync("textDocument/completion", LspTestClient.At(ws2.Path("notes/new.md"), 0, 17));
        var edit = items.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("label").GetString() == "vaswani2017").GetProperty("textEdit");
        Assert.Equal("0:5-0:17", Range(edit.GetProperty("range")));
    }

    [Fact]
    public async Task Definition_goes_to_the_library_entry_only()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var result = await client.ResultAsync("textDocument/definition", At(ws, "notes/a.md", "@vaswani2017]", 3));
        var locations = result.EnumerateArray().Select(l => $"{Path.GetFileName(l.GetProperty("uri").GetString())} {Range(l.GetProperty("range"))}").ToList();
        Assert.Equal(["refs.bib 2:15-2:26"], locations);
    }

    [Fact]
    public async Task References_span_every_note_and_include_the_declaration_when_asked()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var request = At(ws, "notes/a.md", "@vaswani2017]", 3);
        request["context"] = new JsonObject { ["includeDeclaration"] = true };
        var result = await client.ResultAsync("textDocument/references", request);
        var locations = result.EnumerateArray().Select(l => $"{Path.GetFileName(l.GetProperty("uri").GetString())} {Range(l.GetProperty("range"))}").ToList();
        Assert.Equal(["refs.bib 2:15-2:26", "a.md 2:15-2:26", "b.md 0:22-0:33"], locations);
    }

    [Fact]
    public async Task Rename_changes_the_key_everywhere_and_refuses_invalid_keys()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var at = At(ws, "notes/a.md", "@vaswani2017]", 3);
        var prepare = await client.ResultAsync("textDocument/prepareRename", at.DeepClone());
        Assert.Equal("vaswani2017", prepare.GetProperty("placeholder").GetString());

        var rename = (JsonObject)at.DeepClone();
        rename["newName"] = "vaswani2017attention";
        var edit = await client.ResultAsync("textDocument/rename", rename);
        var files = edit.GetProperty("changes").EnumerateObject()
            .Select(p => $"{Path.GetFileName(p.Name)}:{p.Value.GetArrayLength()}").Order().ToList();
        Assert.Equal(["a.md:1", "b.md:1", "refs.bib:1", "vaswani2017.md:1"], files);

        var bad = (JsonObject)at.DeepClone();
        bad["newName"] = "has space";
        var refused = await client.RequestAsync("textDocument/rename", bad);
        Assert.Contains("not a valid citation key", refused.GetProperty("error").GetProperty("message").GetString());
        var taken = (JsonObject)at.DeepClone();
        taken["newName"] = "tian2021understanding";
        Assert.Contains("already exists", (await client.RequestAsync("textDocument/rename", taken)).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Code_actions_fix_typos_and_create_paper_notes()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var typo = At(ws, "notes/a.md", "@vaswani2071", 3);
        typo["range"] = new JsonObject { ["start"] = typo["position"]!.DeepClone(), ["end"] = typo["position"]!.DeepClone() };
        typo["context"] = new JsonObject { ["diagnostics"] = new JsonArray() };
        var fixes = await client.ResultAsync("textDocument/codeAction", typo);
        var fix = fixes.EnumerateArray().Single();
        Assert.Equal("Replace with '@vaswani2017'", fix.GetProperty("title").GetString());
        Assert.True(fix.GetProperty("isPreferred").GetBoolean());
        Assert.Contains("\"newText\":\"vaswani2017\"", fix.GetProperty("edit").GetRawText());

        var known = At(ws, "notes/a.md", "@tian2021understanding", 3);
        known["range"] = new JsonObject { ["start"] = known["position"]!.DeepClone(), ["end"] = known["position"]!.DeepClone() };
        var create = (await client.ResultAsync("textDocument/codeAction", known)).EnumerateArray().Single();
        Assert.Equal("Create paper note for @tian2021understanding", create.GetProperty("title").GetString());
        var changes = create.GetProperty("edit").GetProperty("documentChanges");
        Assert.Equal("create", changes[0].GetProperty("kind").GetString());
        Assert.EndsWith("/notes/papers/tian2021understanding.md", changes[0].GetProperty("uri").GetString());
        Assert.StartsWith("---\ncitekey: \"tian2021understanding\"\ntitle: \"Understanding Self-supervised", changes[1].GetProperty("edits")[0].GetProperty("newText").GetString());
    }

    [Fact]
    public async Task Creating_a_paper_note_is_not_offered_to_clients_that_cannot_create_files()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        var known = At(ws, "notes/a.md", "@tian2021understanding", 3);
        known["range"] = new JsonObject { ["start"] = known["position"]!.DeepClone(), ["end"] = known["position"]!.DeepClone() };
        Assert.Empty((await client.ResultAsync("textDocument/codeAction", known)).EnumerateArray());
    }

    [Fact]
    public async Task Workspace_and_document_symbols()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var symbols = await client.ResultAsync("workspace/symbol", new JsonObject { ["query"] = "attention" });
        var names = symbols.EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Notes on Attention", "@vaswani2017"], names);

        await client.OpenAsync(ws.Path("notes/outline.md"), "# Top\n\n## One\n\ntext\n\n## Two\n\n# Second\n");
        var outline = await client.ResultAsync("textDocument/documentSymbol", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("notes/outline.md")) },
        });
        Assert.Equal("Top[One,Two] Second", string.Join(" ", outline.EnumerateArray().Select(s =>
            s.GetProperty("name").GetString() + (s.TryGetProperty("children", out var c) ? "[" + string.Join(",", c.EnumerateArray().Select(x => x.GetProperty("name").GetString())) + "]" : ""))));
    }

    [Fact]
    public async Task Document_links_for_wiki_links_and_library_doi_and_url()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var noteLinks = await client.ResultAsync("textDocument/documentLink", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("notes/a.md")) },
        });
        Assert.EndsWith("/notes/b.md", Assert.Single(noteLinks.EnumerateArray()).GetProperty("target").GetString());
        // A library's links are found in its text as the snapshot holds it: the editor's, once it is open.
        await client.OpenAsync(ws.Path("library/refs.bib"), ServerFixture.Bib, "bibtex");
        var bibLinks = await client.ResultAsync("textDocument/documentLink", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("library/refs.bib")) },
        });
        Assert.Equal(["https://doi.org/10.5555/3295222.3295349", "https://arxiv.org/abs/2102.06810"],
            bibLinks.EnumerateArray().Select(l => l.GetProperty("target").GetString()));
    }
}
