using System.Text.Json;
using System.Text.Json.Nodes;
using PaperNotes.Server.State;

namespace PaperNotes.Server.Tests;

/// <summary>Invalid <c>paperNotes.*</c> values: what is used instead, and the one warning that says so.</summary>
public class SettingsTests
{
    /// <summary>The settings read from a section, as text, then each problem on its own line.</summary>
    private static void Check(string section, string expected)
    {
        var (settings, problems) = EditorSettings.Read(JsonDocument.Parse(section).RootElement);
        var globs = settings.Globs is { } g ? $"library=[{string.Join(",", g.LibraryGlobs)}] notes=[{string.Join(",", g.NoteGlobs)}]" : "globs=null";
        var text = $"{globs} hints={settings.CitationHints} maxLength={settings.CitationHintLength} unused={settings.UnusedEntriesUpTo} zotero={settings.ZoteroLinks}"
            + string.Concat(problems.Select(p => "\n" + p));
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), text);
    }

    [Fact]
    public void Valid_and_missing_values_raise_no_problem() => Check(
        """{ "library": ["refs/*.bib"], "inlayHints": { "citations": "title", "maxLength": null }, "zotero": { "links": true } }""",
        "library=[refs/*.bib] notes=[] hints=Title maxLength=40 unused=1000 zotero=True");

    [Fact]
    public void A_lone_glob_string_is_used_as_a_list_of_one() => Check(
        """{ "library": "refs/*.bib" }""",
        """
        library=[refs/*.bib] notes=[] hints=AuthorYearTitle maxLength=40 unused=1000 zotero=False
        paperNotes.library should be a list of glob patterns, not a string: using ["refs/*.bib"].
        """);

    [Fact]
    public void Globs_that_are_not_strings_are_dropped_and_named() => Check(
        """{ "library": [3, "refs/*.bib", null], "notes": { "a": 1 } }""",
        """
        library=[refs/*.bib] notes=[] hints=AuthorYearTitle maxLength=40 unused=1000 zotero=False
        paperNotes.library should list glob patterns (strings): ignored 3, null; using ["refs/*.bib"].
        paperNotes.notes should be a list of glob patterns, not an object: using every Markdown file.
        """);

    [Fact]
    public void Numbers_below_the_minimum_take_the_minimum_and_other_types_the_default() => Check(
        """{ "inlayHints": { "maxLength": 3 }, "diagnostics": { "unusedEntries": { "maxLibrarySize": "many" } } }""",
        """
        library=[] notes=[] hints=AuthorYearTitle maxLength=8 unused=1000 zotero=False
        paperNotes.inlayHints.maxLength is 3, below the minimum 8: using 8.
        paperNotes.diagnostics.unusedEntries.maxLibrarySize should be a whole number, not "many": using 1000.
        """);

    [Fact]
    public void An_unknown_enum_value_or_a_non_boolean_falls_back_to_the_default() => Check(
        """{ "inlayHints": { "citations": "1", "maxLength": 12.5 }, "zotero": { "links": "yes" } }""",
        """
        library=[] notes=[] hints=AuthorYearTitle maxLength=40 unused=1000 zotero=False
        paperNotes.inlayHints.citations should be one of off, authorYear, title, authorYearTitle, not "1": using authorYearTitle.
        paperNotes.inlayHints.maxLength should be a whole number, not 12.5: using 40.
        paperNotes.zotero.links should be true or false, not "yes": using false.
        """);

    [Fact]
    public async Task Invalid_settings_are_shown_once_as_one_warning()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        client.Settings = new JsonObject { ["inlayHints"] = new JsonObject { ["maxLength"] = 3, ["citations"] = "short" } };
        await client.InitializeAsync(ws.Root, new JsonObject { ["workspace"] = new JsonObject { ["configuration"] = true } });
        var shown = await client.WaitForNotificationAsync("window/showMessage", _ => true);
        Assert.Equal(2, shown.GetProperty("type").GetInt32());
        Assert.Equal("Paper Notes: 2 settings are invalid. "
            + "paperNotes.inlayHints.citations should be one of off, authorYear, title, authorYearTitle, not \"short\": using authorYearTitle. "
            + "paperNotes.inlayHints.maxLength is 3, below the minimum 8: using 8.", shown.GetProperty("message").GetString());

        // The same problems after another change: logged, not shown again; a new problem is shown.
        await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["paperNotes"] = client.Settings.DeepClone() } });
        await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject
        {
            ["settings"] = new JsonObject { ["paperNotes"] = new JsonObject { ["zotero"] = new JsonObject { ["links"] = 1 } } },
        });
        await client.WaitForNotificationAsync("window/showMessage", p => p.GetProperty("message").GetString()!.Contains("paperNotes.zotero.links"));
        Assert.Equal(2, client.Notifications("window/showMessage").Count);
    }

    [Fact]
    public async Task A_late_answer_to_a_settings_read_never_overwrites_settings_pushed_after_it()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root, new JsonObject
        {
            ["workspace"] = new JsonObject { ["configuration"] = true, ["inlayHint"] = new JsonObject { ["refreshSupport"] = true } },
        });
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        List<JsonElement> Asked(string method) { lock (client.ServerRequests) return client.ServerRequests.Where(r => r.GetProperty("method").GetString() == method).ToList(); }

        // The client is asked again and holds its answer; meanwhile newer settings are pushed (and applied: the server
        // asks for the hints again).
        client.NeverAnswer = method => method == "workspace/configuration";
        await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = null });
        await client.WaitForServerRequestAsync("workspace/configuration", _ => Asked("workspace/configuration").Count == 2);
        int id = Asked("workspace/configuration")[1].GetProperty("id").GetInt32();
        int refreshes = Asked("workspace/inlayHint/refresh").Count;
        await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject
        {
            ["settings"] = new JsonObject { ["paperNotes"] = new JsonObject { ["inlayHints"] = new JsonObject { ["citations"] = "title" } } },
        });
        await client.WaitForServerRequestAsync("workspace/inlayHint/refresh", _ => Asked("workspace/inlayHint/refresh").Count > refreshes);
        await client.SendAsync(new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = id,
            ["result"] = new JsonArray(new JsonObject { ["inlayHints"] = new JsonObject { ["citations"] = "off" } }),
        });

        await client.WaitForNotificationAsync("window/logMessage", p => p.GetProperty("message").GetString()!.Contains("dropped"));
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        var hints = await client.ResultAsync("textDocument/inlayHint", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("notes/a.md")) },
            ["range"] = new JsonObject { ["start"] = new JsonObject { ["line"] = 2, ["character"] = 0 }, ["end"] = new JsonObject { ["line"] = 3, ["character"] = 0 } },
        });
        Assert.Equal("Attention Is All You Need", hints[0].GetProperty("label").GetString()); // the pushed "title", not the late "off"
    }
}
