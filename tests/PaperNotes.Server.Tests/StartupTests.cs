using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

/// <summary>The edges of time: an editor that restores its tabs at startup, and files written while the workspace
/// is indexed. Nothing here waits on a timer: requests wait for the state they need, and the tests wait for messages.</summary>
public class StartupTests
{
    /// <summary>A library big enough that indexing it takes a while (about 30,000 entries with abstracts).</summary>
    private static string BigLibrary(int entries)
    {
        var sb = new StringBuilder(ServerFixture.Bib).Append('\n');
        var random = new Random(5);
        for (int i = 0; i < entries; i++)
        {
            sb.Append("@article{filler").Append(i).Append(",\n  title = {Filler paper number ").Append(i).Append(" on topic ")
              .Append(random.Next(1000)).Append("},\n  author = {Doe, Jane and Roe, Richard},\n  year = ").Append(1990 + i % 35)
              .Append(",\n  abstract = {").Append(string.Join(' ', Enumerable.Range(0, 150).Select(w => "word" + random.Next(5000)))).Append("},\n}\n");
        }
        return sb.ToString();
    }

    private const string OpenNote = """
        # Restored tab

        Cites [@vaswani2017] and @tian2021understanding and @filler123, and one typo @vaswani2071.
        Links [[vaswani2017]] and [[b]].
        """;

    [Fact]
    public async Task A_note_opened_and_hovered_at_startup_sees_the_whole_workspace_and_no_false_diagnostic_is_ever_published()
    {
        using var ws = new TempWorkspace(
            ("library/refs.bib", BigLibrary(30_000)),
            ("notes/b.md", ServerFixture.NoteB),
            ("notes/papers/vaswani2017.md", ServerFixture.PaperNote));
        var note = ws.Write("notes/restored.md", OpenNote);
        await using var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        await client.OpenAsync(note, OpenNote); // at once, as an editor restoring its tabs does
        var (line, ch) = ServerFixture.Find(OpenNote, "@vaswani2017]", 3);
        var hover = (await client.ResultAsync("textDocument/hover", LspTestClient.At(note, line, ch))).ToString();
        Assert.Contains("Attention Is All You Need", hover);
        Assert.Contains("notes/papers/vaswani2017.md", hover); // the paper note is known too

        var settled = await client.WaitForDiagnosticsAsync(note, d => d.Length > 0);
        Assert.Equal(["unknown citation key 'vaswani2071'; did you mean 'vaswani2017'?"],
            settled.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("message").GetString()));
        await client.WaitForDiagnosticsAsync(ws.Path("notes/b.md"), d => d.Length == 1);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", s => !s.GetProperty("indexing").GetBoolean());

        // Every publish since the start, for every file: only the real findings, never a defined key or a resolvable link.
        var published = client.Notifications("textDocument/publishDiagnostics")
            .SelectMany(p => p.GetProperty("diagnostics").EnumerateArray().Select(d => (Uri: p.GetProperty("uri").GetString()!, Message: d.GetProperty("message").GetString()!)))
            .ToList();
        Assert.NotEmpty(published);
        var real = new[]
        {
            (LspTestClient.Uri(note), "unknown citation key 'vaswani2071'; did you mean 'vaswani2017'?"),
            (LspTestClient.Uri(ws.Path("notes/b.md")), "unknown citation key 'unknownkey'"),
        };
        Assert.All(published, p => Assert.Contains(p, real));
    }

    [Fact]
    public async Task A_library_and_a_note_written_while_the_workspace_indexes_are_both_seen()
    {
        using var ws = new TempWorkspace(("library/refs.bib", BigLibrary(30_000)), ("notes/b.md", ServerFixture.NoteB));
        await using var client = LspTestClient.InProcess();
        var capabilities = new JsonObject { ["workspace"] = new JsonObject { ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true } } };
        await client.InitializeAsync(ws.Root, capabilities);
        // Written and announced right after initialized, while the big library is being read.
        ws.Write("library/late.bib", "@misc{late2024, title = {Arrived During Indexing}}\n");
        var lateNote = ws.Write("notes/late.md", "Cites @late2024 and @alsomissing.\n");
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(
                new JsonObject { ["uri"] = LspTestClient.Uri(ws.Path("library/late.bib")), ["type"] = 1 },
                new JsonObject { ["uri"] = LspTestClient.Uri(lateNote), ["type"] = 1 }),
        });
        var diagnostics = await client.WaitForDiagnosticsAsync(lateNote, d => d.Length > 0);
        Assert.Equal(["unknown citation key 'alsomissing'"],
            diagnostics.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("message").GetString()!).Select(m => m.Split(';')[0]));
        await client.OpenAsync(lateNote, "Cites @late2024 and @alsomissing.\n");
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(lateNote, 0, 8));
        Assert.Contains("Arrived During Indexing", hover.ToString());
    }
}
