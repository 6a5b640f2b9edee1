using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>
/// What every handler shares: waiting until the document's latest text is in the snapshot, turning a uri
/// into a Core <see cref="FeatureContext"/> on the current snapshot, and running off the reader thread.
/// A document never seen or a position outside it gives null, i.e. an empty result.
/// </summary>
public abstract class HandlerBase(LanguageServer server)
{
    protected LanguageServer Server { get; } = server;

    /// <summary>Whether the handler changes server state (Roslyn's MutatesSolutionState): only sync and lifecycle do.</summary>
    public abstract bool MutatesState { get; }

    /// <summary>
    /// Runs a read-only request: waits for the document (when there is one) to be current, then calls
    /// <paramref name="work"/> with its context (null for an unknown document). Failures are logged and
    /// answered with an error.
    /// </summary>
    protected async Task<T?> Read<T>(string method, string? uri, Func<FeatureContext?, T?> work, CancellationToken cancellation)
    {
        await Task.Yield();
        if (uri is not null && Server.Queue is { } queue && Uris.ToPath(uri) is { } path)
            await queue.WhenCurrentAsync(path, cancellation);
        cancellation.ThrowIfCancellationRequested();
        try
        {
            return work(uri is null ? null : Context(uri));
        }
        catch (Exception e) when (e is not (OperationCanceledException or StreamJsonRpc.LocalRpcException))
        {
            Server.Log.Error($"{method} failed: {e}");
            throw new StreamJsonRpc.LocalRpcException($"{method} failed: {e.Message}") { ErrorCode = -32603 };
        }
    }

    private FeatureContext? Context(string uri)
    {
        if (Server.State is not { } state || Uris.ToPath(uri) is not { } path) return null;
        var snapshot = state.Snapshot;
        if (snapshot.LinesOf(path) is null) return null;
        // The text the snapshot was built from, so offsets and text agree.
        return new FeatureContext(snapshot, path, Server.Queue?.AppliedOf(path)?.Text);
    }

    protected static (FeatureContext Context, int Offset)? At(FeatureContext? context, P.Position position)
    {
        if (context?.Lines is not { } lines) return null;
        return FromLsp.Offset(lines, position) is int offset ? (context, offset) : null;
    }
}
