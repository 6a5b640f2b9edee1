using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Tests;

/// <summary>The one writer: ordered changes, coalesced edits, requests waiting for what they need, and background
/// indexes merged with the changes that arrived while they ran. Every step is driven by the test, never by a timer.</summary>
public class WorkspaceStateTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Lets a held background read go at the end of a test, passed or failed.</summary>
    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release(100);
    }

    private sealed class Writer : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        public DocumentStore Documents { get; } = new();
        public WorkspaceState State { get; }

        /// <param name="untilQuiet">What a reload waits for before it reads (default: nothing, it reads at once).</param>
        public Writer(bool start = true, TimeSpan? limit = null, Func<PaperNotes.Core.Workspace.Snapshot, string, PaperNotes.Core.Workspace.LibrarySet>? readLibrary = null,
            Func<string, Task>? untilQuiet = null)
        {
            State = new WorkspaceState(Documents, new ServerLog(), limit ?? Limit, readLibrary, untilQuiet: untilQuiet ?? (_ => Task.CompletedTask));
            if (start) Start();
        }

        public void Start() => _loop = State.RunAsync(_stop.Token);

        public Task<ServerSnapshot> When(Func<ServerSnapshot, bool> ready) => State.WhenAsync(ready, CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try { await _loop; } catch (OperationCanceledException) { }
        }
    }

    [Fact]
    public async Task Requests_wait_for_their_own_document_only()
    {
        await using var writer = new Writer(start: false);
        var (documents, state) = (writer.Documents, writer.State);
        _ = state.SetFoldersAsync(["/w"]);
        documents.Open(new OpenDocument("file:///w/big.md", "/w/big.md", "markdown", "Big @key\n", 1));
        state.FileChanged("/w/big.md");

        var own = state.WhenAsync(state.HasLatestTextOf("/w/big.md"), CancellationToken.None);
        var other = state.WhenAsync(state.HasLatestTextOf("/w/other.md"), CancellationToken.None);
        Assert.True(other.IsCompleted);   // nothing pending there: answered at once
        Assert.False(own.IsCompleted);    // the writer has not run: its text is not in any snapshot yet

        writer.Start();
        var snapshot = await own;
        Assert.Equal("key", Assert.Single(snapshot.FolderOf("/w/big.md")!.Snapshot.Notes.Find("/w/big.md")!.Citations).Key);
        Assert.Equal(1, snapshot.VersionOf("/w/big.md"));
        Assert.Equal("Big @key\n", snapshot.Context("/w/big.md")!.Text);
    }

    [Fact]
    public async Task A_burst_of_edits_is_parsed_once_with_the_latest_text()
    {
        await using var writer = new Writer(start: false);
        var (documents, state) = (writer.Documents, writer.State);
        _ = state.SetFoldersAsync(["/w"]);
        int updates = 0;
        state.Changed += (_, _, dirty) => { if (dirty is not null) Interlocked.Increment(ref updates); };
        documents.Open(new OpenDocument("file:///w/n.md", "/w/n.md", "markdown", "@a\n", 1));
        state.FileChanged("/w/n.md");
        for (int v = 2; v <= 20; v++)
        {
            documents.Change("/w/n.md", v, [new PaperNotes.Server.Protocol.TextDocumentContentChangeEvent(null, $"@k{v}\n")]);
            state.FileChanged("/w/n.md");
        }
        writer.Start();
        var snapshot = await state.WhenAsync(state.HasLatestTextOf("/w/n.md"), CancellationToken.None);
        Assert.Equal("k20", Assert.Single(snapshot.FolderOf("/w/n.md")!.Snapshot.Notes.Find("/w/n.md")!.Citations).Key);
        Assert.Equal(1, updates);
        Assert.Equal(20, snapshot.VersionOf("/w/n.md"));
    }

    [Fact]
    public async Task Changes_made_while_an_index_runs_are_merged_into_it_not_lost()
    {
        using var ws = new TempWorkspace(("refs.bib", "@misc{old2020, title={Old}}"), ("a.md", "@old2020"));
        // The background read of the new library is held until the end: the merge alone must see it.
        var gate = new SemaphoreSlim(0);
        await using var writer = new Writer(readLibrary: (folder, path) => { gate.Wait(); return FileRefresh.FromDisk(folder, path).Snapshot.Libraries; });
        using var release = new Releaser(gate);
        await writer.State.SetFoldersAsync([ws.Root]);
        long run = await writer.State.BeginIndexAsync(ws.Root);
        var indexed = DiskLoader.Load(ws.Root); // the disk as the index read it

        // Meanwhile: a new library and a note citing it are written, and a note is opened with unsaved text.
        ws.Write("new.bib", "@misc{new2024, title={New}}");
        ws.Write("b.md", "@new2024");
        writer.State.FileChanged(ws.Path("new.bib"));
        writer.State.FileChanged(ws.Path("b.md"));
        writer.Documents.Open(new OpenDocument("file://" + ws.Path("a.md"), ws.Path("a.md"), "markdown", "@old2020 @new2024 (unsaved)", 3));
        writer.State.FileChanged(ws.Path("a.md"));
        var beforeMerge = await writer.When(writer.State.HasLatestTextOf(ws.Path("a.md")));
        Assert.False(beforeMerge.FolderOf(ws.Path("a.md"))!.Indexed);

        await writer.State.FinishIndexAsync(ws.Root, run, indexed);
        var merged = writer.State.Current;
        var folder = merged.FolderOf(ws.Path("a.md"))!;
        Assert.True(folder.Indexed);
        Assert.NotNull(folder.Snapshot.Libraries.Find("new2024"));
        Assert.NotNull(folder.Snapshot.Libraries.Find("old2020"));
        Assert.Equal(["new2024"], folder.Snapshot.Notes.Find(ws.Path("b.md"))!.Citations.Select(c => c.Key));
        Assert.Equal(["old2020", "new2024"], folder.Snapshot.Notes.Find(ws.Path("a.md"))!.Citations.Select(c => c.Key));
        Assert.Equal(3, merged.VersionOf(ws.Path("a.md")));
        Assert.True(merged.Revision > beforeMerge.Revision);
    }

    [Fact]
    public async Task An_index_that_a_newer_one_superseded_is_dropped()
    {
        using var ws = new TempWorkspace(("refs.bib", "@misc{first, title={First}}"));
        await using var writer = new Writer();
        await writer.State.SetFoldersAsync([ws.Root]);
        long older = await writer.State.BeginIndexAsync(ws.Root);
        var stale = DiskLoader.Load(ws.Root);
        ws.Write("refs.bib", "@misc{second, title={Second}}");
        long newer = await writer.State.BeginIndexAsync(ws.Root);
        var fresh = DiskLoader.Load(ws.Root);

        await writer.State.FinishIndexAsync(ws.Root, newer, fresh);
        await writer.State.FinishIndexAsync(ws.Root, older, stale);
        var libraries = writer.State.Current.FolderOf(ws.Path("refs.bib"))!.Snapshot.Libraries;
        Assert.NotNull(libraries.Find("second"));
        Assert.Null(libraries.Find("first"));
    }

    [Fact]
    public async Task Each_file_belongs_to_its_innermost_folder_and_outside_files_to_the_first()
    {
        await using var writer = new Writer();
        await writer.State.SetFoldersAsync(["/a", "/b", "/b/inner"]);
        var snapshot = writer.State.Current;
        Assert.Equal("/a", snapshot.FolderOf("/a/x.md")!.Root);
        Assert.Equal("/b", snapshot.FolderOf("/b/x.md")!.Root);
        Assert.Equal("/b/inner", snapshot.FolderOf("/b/inner/x.md")!.Root);
        Assert.Equal("/b", snapshot.FolderOf("/b/innerx/y.md")!.Root);
        Assert.Equal("/a", snapshot.FolderOf("/elsewhere/x.md")!.Root);
        Assert.False(snapshot.Indexed);
    }

    [Fact]
    public async Task A_request_waits_for_the_first_index_at_most_its_limit()
    {
        await using var writer = new Writer(limit: TimeSpan.FromMilliseconds(1));
        await writer.State.SetFoldersAsync(["/w"]);
        var waiting = writer.State.WhenAsync(s => s.Indexed, CancellationToken.None);
        var snapshot = await waiting; // the limit passed: answered from what exists
        Assert.False(snapshot.Indexed);
    }

    [Fact]
    public async Task A_library_rewritten_on_disk_is_read_off_the_writer_and_a_burst_is_read_once_more()
    {
        using var ws = new TempWorkspace(("refs.bib", "@misc{first, title={First}}"), ("a.md", "@first"));
        var gate = new SemaphoreSlim(0);
        using var release = new Releaser(gate);
        var reads = new List<string>();
        await using var writer = new Writer(readLibrary: (folder, path) =>
        {
            gate.Wait();
            lock (reads) reads.Add(File.ReadAllText(path));
            return FileRefresh.FromDisk(folder, path).Snapshot.Libraries;
        });
        await writer.State.SetFoldersAsync([ws.Root]);
        await writer.State.FinishIndexAsync(ws.Root, await writer.State.BeginIndexAsync(ws.Root), DiskLoader.Load(ws.Root));

        // The reference manager rewrites the library; the read is held.
        ws.Write("refs.bib", "@misc{second, title={Second}}");
        writer.State.FileChanged(ws.Path("refs.bib"));
        // Meanwhile a note is edited: the writer applies it at once, against the library as it was.
        writer.Documents.Open(new OpenDocument("file://" + ws.Path("a.md"), ws.Path("a.md"), "markdown", "@first @second", 1));
        writer.State.FileChanged(ws.Path("a.md"));
        var meanwhile = await writer.When(writer.State.HasLatestTextOf(ws.Path("a.md")));
        Assert.Equal(["first", "second"], meanwhile.FolderOf(ws.Path("a.md"))!.Snapshot.Notes.Find(ws.Path("a.md"))!.Citations.Select(c => c.Key));
        Assert.NotNull(meanwhile.FolderOf(ws.Path("a.md"))!.Snapshot.Libraries.Find("first"));

        // Two more rewrites while the first read is held: they are read once more, after it, and only the last counts.
        ws.Write("refs.bib", "@misc{third, title={Third}}");
        writer.State.FileChanged(ws.Path("refs.bib"));
        ws.Write("refs.bib", "@misc{fourth, title={Fourth}}");
        writer.State.FileChanged(ws.Path("refs.bib"));
        // (The channel is in order: both changes reach the writer before the first read's result can.)
        gate.Release(2);
        var after = await writer.When(s => s.FolderOf(ws.Path("a.md"))!.Snapshot.Libraries.Find("fourth") is not null);
        var libraries = after.FolderOf(ws.Path("a.md"))!.Snapshot.Libraries;
        Assert.Null(libraries.Find("first"));
        Assert.Null(libraries.Find("second"));
        lock (reads) Assert.Equal(2, reads.Count);
    }

    [Fact]
    public async Task A_library_written_in_a_burst_is_read_once_when_it_is_quiet()
    {
        using var ws = new TempWorkspace(("refs.bib", "@misc{first, title={First}}"), ("a.md", "@first"));
        var quiet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = new List<string>();
        await using var writer = new Writer(readLibrary: (folder, path) =>
        {
            lock (reads) reads.Add(File.ReadAllText(path));
            return FileRefresh.FromDisk(folder, path).Snapshot.Libraries;
        }, untilQuiet: _ => quiet.Task);
        await writer.State.SetFoldersAsync([ws.Root]);
        await writer.State.FinishIndexAsync(ws.Root, await writer.State.BeginIndexAsync(ws.Root), DiskLoader.Load(ws.Root));

        // A reference manager writes the file in pieces, each an event, while the reload waits for the file to be quiet.
        foreach (var key in new[] { "second", "third", "fourth" })
        {
            ws.Write("refs.bib", $"@misc{{{key}, title={{{key}}}}}");
            writer.State.FileChanged(ws.Path("refs.bib"));
            // Applied before the next one (the channel is in order): three changes, not one coalesced.
            await writer.State.SetSettingsAsync(EditorSettings.Default);
        }
        quiet.SetResult();
        var after = await writer.When(s => s.FolderOf(ws.Path("a.md"))!.Snapshot.Libraries.Find("fourth") is not null);
        Assert.Null(after.FolderOf(ws.Path("a.md"))!.Snapshot.Libraries.Find("first"));
        lock (reads) Assert.Equal(["@misc{fourth, title={fourth}}"], reads);
    }
}
