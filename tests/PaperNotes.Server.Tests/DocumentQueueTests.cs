using PaperNotes.Server.Lsp;

namespace PaperNotes.Server.Tests;

/// <summary>The document queue: requests wait only for their own document, and a burst of edits is parsed once.</summary>
public class DocumentQueueTests
{
    [Fact]
    public async Task Requests_wait_for_their_own_document_only()
    {
        var state = new ServerState("/w");
        var queue = new DocumentQueue(state, new ServerLog());
        state.Documents.Open(new OpenDocument("file:///w/big.md", "/w/big.md", "markdown", "Big @key\n", 1));
        queue.Enqueue("/w/big.md");

        var own = queue.WhenCurrentAsync("/w/big.md", CancellationToken.None);
        var other = queue.WhenCurrentAsync("/w/other.md", CancellationToken.None);
        Assert.True(other.IsCompleted);   // nothing pending there: answered at once
        Assert.False(own.IsCompleted);    // its text is not in the snapshot yet
        Assert.Null(state.Snapshot.Notes.Find("/w/big.md"));

        using var stop = new CancellationTokenSource();
        var loop = queue.RunAsync(stop.Token);
        await own.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("key", Assert.Single(state.Snapshot.Notes.Find("/w/big.md")!.Citations).Key);
        Assert.Equal(1, queue.AppliedOf("/w/big.md")!.Version);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task A_burst_of_edits_is_parsed_once_with_the_latest_text()
    {
        var state = new ServerState("/w");
        var queue = new DocumentQueue(state, new ServerLog());
        int updates = 0;
        state.Changed += _ => Interlocked.Increment(ref updates);
        state.Documents.Open(new OpenDocument("file:///w/n.md", "/w/n.md", "markdown", "@a\n", 1));
        queue.Enqueue("/w/n.md");
        for (int v = 2; v <= 20; v++)
        {
            state.Documents.Change("/w/n.md", v, [new PaperNotes.Server.Protocol.TextDocumentContentChangeEvent(null, $"@k{v}\n")]);
            queue.Enqueue("/w/n.md");
        }
        using var stop = new CancellationTokenSource();
        var loop = queue.RunAsync(stop.Token);
        await queue.WhenCurrentAsync("/w/n.md", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("k20", Assert.Single(state.Snapshot.Notes.Find("/w/n.md")!.Citations).Key);
        Assert.Equal(1, updates);
        Assert.Equal(20, queue.VersionOf("/w/n.md"));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }
}
