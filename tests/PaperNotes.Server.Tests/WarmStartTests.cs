using System.Text;
using System.Text.Json.Nodes;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Tests;

/// <summary>A server started again on an unchanged big library reads it from the library cache (the warm start) and
/// answers as the first did; the setting <c>paperNotes.cache.enabled: false</c> keeps the cache out of it.</summary>
public sealed class WarmStartTests
{
    /// <summary>A library just over the size from which BibTeX files stream in (and have an image).</summary>
    private static string BigLibrary()
    {
        var sb = new StringBuilder("@string{neurips = {Advances in Neural Information Processing Systems}}\n");
        const string filler = "We study a problem with a method and report results on benchmarks that matter to the field. ";
        for (int i = 0; sb.Length < DiskLoader.StreamFromBytes + 4096; i++)
            sb.Append($"@inproceedings{{paper{i}, title = {{Paper number {i}}}, author = {{Doe, Jane and Roe, Rich}}, booktitle = neurips, year = {2000 + i % 25},\n")
              .Append("  abstract = {").Append(filler, 0, filler.Length).Append(filler).Append(filler).Append(filler).Append("}}\n");
        sb.Append(ServerFixture.Bib);
        return sb.ToString();
    }

    private static async Task<string> HoverAsync(LspTestClient client, TempWorkspace ws)
    {
        var (line, ch) = ServerFixture.Find(ServerFixture.NoteA, "@vaswani2017]", 3);
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        return (await client.RequestAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/a.md"), line, ch))).ToString();
    }

    /// <summary>Runs a first server on the workspace until the library's image is written; returns its hover on a citation.</summary>
    private static async Task<string> SeedCacheAsync(TempWorkspace ws, TempWorkspace home)
    {
        var image = new LibraryCache(Path.Combine(home.Root, "papernotes")).ImagePath(ws.Path("library/refs.bib"));
        await using var first = LspTestClient.InProcess(cacheHome: home.Root);
        await first.InitializeAsync(ws.Root);
        var hover = await HoverAsync(first, ws);
        // The images (the library's, then its search index's once built) are written in the background, renamed into
        // place whole: their existence means they are complete.
        bool Written() => File.Exists(image) && Directory.GetFiles(Path.GetDirectoryName(image)!, "*.pnidx").Length == 1;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !Written(); await Task.Delay(20))
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the first server never wrote the library's images");
        Assert.Contains("Attention Is All You Need", hover);
        return hover.Replace("\"id\":1,", "");
    }

    [Fact]
    public async Task A_second_server_reads_the_unchanged_library_from_the_cache_and_answers_the_same()
    {
        using var ws = new TempWorkspace(("library/refs.bib", BigLibrary()), ("notes/a.md", ServerFixture.NoteA));
        using var home = new TempWorkspace();
        var cold = await SeedCacheAsync(ws, home);
        await using var second = LspTestClient.InProcess(cacheHome: home.Root);
        await second.InitializeAsync(ws.Root);
        Assert.Equal(cold, (await HoverAsync(second, ws)).Replace("\"id\":1,", ""));
        await second.WaitForNotificationAsync("window/logMessage", p => p.GetProperty("message").GetString()!.EndsWith("refs.bib: read from the library cache"));
        // Its search index too: completion by a title word answers from it, as the first server's built index did.
        await second.WaitForNotificationAsync("window/logMessage", p => p.GetProperty("message").GetString()!.StartsWith("search index of "));
        var text = ServerFixture.NoteA + "\nSee @attention";
        await second.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("notes/a.md")), ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });
        var lines = text.Split('\n');
        var completion = (await second.RequestAsync("textDocument/completion", LspTestClient.At(ws.Path("notes/a.md"), lines.Length - 1, lines[^1].Length))).ToString();
        Assert.Contains("vaswani2017", completion);
    }

    [Fact]
    public async Task The_setting_turns_the_cache_off()
    {
        using var ws = new TempWorkspace(("library/refs.bib", BigLibrary()), ("notes/a.md", ServerFixture.NoteA));
        using var home = new TempWorkspace();
        await SeedCacheAsync(ws, home);
        await using var client = LspTestClient.InProcess(cacheHome: home.Root);
        client.Settings = new JsonObject { ["cache"] = new JsonObject { ["enabled"] = false } };
        await client.InitializeAsync(ws.Root, new JsonObject { ["workspace"] = new JsonObject { ["configuration"] = true } });
        // The hover waits for the first index, which reads the library (settings are read before it): a cache in use would
        // have said so by then.
        Assert.Contains("Attention Is All You Need", await HoverAsync(client, ws));
        Assert.DoesNotContain(client.Notifications("window/logMessage"), l => l.GetProperty("message").GetString()!.Contains("library cache"));
    }
}
