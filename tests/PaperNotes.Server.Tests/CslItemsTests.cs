using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

/// <summary><c>paperNotes/cslItems</c> over the wire: what the VS Code Markdown preview formats citations from.</summary>
public class CslItemsTests
{
    private const string Note = """
        ---
        references:
        - id: local2020
          type: book
          title: A Local Book
          author: [{family: Knuth, given: Donald}]
          issued: {date-parts: [[2020]]}
        ---
        First @tian2021understanding, then [see @vaswani2017, p. 3; @nobody], [-@local2020] and @vaswani2017 again.
        Not in `@code2000`.
        """;

    private static async Task<(TempWorkspace Ws, LspTestClient Client)> StartedAsync()
    {
        var ws = new TempWorkspace(("library/refs.bib", ServerFixture.Bib), ("notes/preview.md", Note));
        var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        return (ws, client);
    }

    /// <summary>One line per item: id, type, title, authors' family names, year; then the unknown keys.</summary>
    private static string Render(JsonElement result)
    {
        var lines = result.GetProperty("items").EnumerateArray().Select(item =>
        {
            string S(string name) => item.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
            var authors = item.TryGetProperty("author", out var a) ? string.Join(",", a.EnumerateArray().Select(n => n.GetProperty("family").GetString())) : "";
            var year = item.TryGetProperty("issued", out var d) ? d.GetProperty("date-parts")[0][0].GetInt32().ToString() : "";
            return $"{S("id")} | {S("type")} | {S("title")} | {authors} | {year}";
        }).ToList();
        lines.Add("unknown: " + string.Join(" ", result.GetProperty("unknown").EnumerateArray().Select(k => k.GetString())));
        return string.Join("\n", lines);
    }

    /// <summary>The items of notes/preview.md over the fixture's library, rendered.</summary>
    private const string PreviewNoteItems = """
            tian2021understanding | article-journal | Understanding self-supervised learning dynamics without contrastive pairs | Tian,Chen,Ganguli | 2021
            vaswani2017 | paper-conference | Attention is all you need | Vaswani,Shazeer,Parmar,Uszkoreit | 2017
            local2020 | book | A Local Book | Knuth | 2020
            unknown: nobody
            """;

    private static JsonObject Params(string path) => new() { ["uri"] = LspTestClient.Uri(path) };

    [Fact]
    public async Task Items_of_cited_keys_in_order_of_first_citation_with_note_references_and_unknown_keys()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var result = await client.ResultAsync("paperNotes/cslItems", Params(ws.Path("notes/preview.md")));
        Assert.Equal(PreviewNoteItems, Render(result));
        // The BibTeX @string is expanded (and sentence-cased) as pandoc's biblatex reader does.
        Assert.Equal("Advances in neural information processing systems", result.GetProperty("items")[1].GetProperty("container-title").GetString());
    }

    [Fact]
    public async Task Open_texts_win_over_the_disk_for_the_note_and_its_library()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        await client.OpenAsync(ws.Path("notes/preview.md"), "Only @vaswani2017 and @tian2021understanding.\n");
        int before = client.Notifications("paperNotes/libraryStatus").Count, seen = 0;
        await client.OpenAsync(ws.Path("library/refs.bib"), ServerFixture.Bib.Replace("Attention Is All You Need", "Attention Is Still All You Need"), "bibtex");
        // The request waits for the note's own text only; the library change is in once the status says so (the
        // preview refetches on that notification).
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", _ => ++seen > before);
        var result = await client.ResultAsync("paperNotes/cslItems", Params(ws.Path("notes/preview.md")));
        Assert.Equal("""
            vaswani2017 | paper-conference | Attention is still all you need | Vaswani,Shazeer,Parmar,Uszkoreit | 2017
            tian2021understanding | article-journal | Understanding self-supervised learning dynamics without contrastive pairs | Tian,Chen,Ganguli | 2021
            unknown: 
            """, Render(result));
    }

    [Fact]
    public async Task Items_are_read_from_the_snapshots_library_not_from_a_disk_it_has_not_taken_in()
    {
        // The client watches files (so the server does not watch the disk itself) and announces nothing: the snapshot
        // keeps the library it read, and the preview must agree with hover and diagnostics of that same snapshot.
        using var ws = new TempWorkspace(("library/refs.bib", ServerFixture.Bib), ("notes/preview.md", Note));
        await using var client = LspTestClient.InProcess();
        var capabilities = new JsonObject { ["workspace"] = new JsonObject { ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true } } };
        await client.InitializeAsync(ws.Root, capabilities);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        // Rewritten in place: the changed entry starts where it did, so a re-read of the disk would find it there.
        ws.Write("library/refs.bib", ServerFixture.Bib.Replace("Attention Is All You Need", "Rewritten Behind the Server's Back"));
        var result = await client.ResultAsync("paperNotes/cslItems", Params(ws.Path("notes/preview.md")));
        Assert.Equal(PreviewNoteItems, Render(result));
    }

    [Fact]
    public async Task A_library_change_that_keeps_the_count_still_sends_the_library_status()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        int before = client.Notifications("paperNotes/libraryStatus").Count;
        await client.OpenAsync(ws.Path("library/refs.bib"), ServerFixture.Bib.Replace("Attention Is All You Need", "Retitled"), "bibtex");
        int seen = 0;
        var status = await client.WaitForNotificationAsync("paperNotes/libraryStatus", _ => ++seen > before);
        Assert.Equal(2, status.GetProperty("papers").GetInt32());
    }

    [Fact]
    public async Task Files_that_are_not_notes_give_no_items()
    {
        var (ws, client) = await StartedAsync();
        using var _ = ws;
        await using var __ = client;
        var result = await client.ResultAsync("paperNotes/cslItems", Params(ws.Path("library/refs.bib")));
        Assert.Equal("unknown: ", Render(result));
    }
}
