using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>
/// What every handler shares: turning (uri, position) into a Core <see cref="FeatureContext"/> + offset on the
/// current snapshot. A document never seen or a position outside it gives null, i.e. an empty result.
/// </summary>
public abstract class HandlerBase(LanguageServer server)
{
    protected LanguageServer Server { get; } = server;

    /// <summary>Whether the handler changes server state (Roslyn's MutatesSolutionState): only sync and lifecycle do.</summary>
    public abstract bool MutatesState { get; }

    protected FeatureContext? Context(string uri)
    {
        if (Server.State is not { } state || Uris.ToPath(uri) is not { } path) return null;
        var snapshot = state.Snapshot;
        if (snapshot.LinesOf(path) is null) return null;
        return new FeatureContext(snapshot, path, state.Documents.Get(path)?.Text);
    }

    protected (FeatureContext Context, int Offset)? At(string uri, P.Position position)
    {
        if (Context(uri) is not { } context || context.Lines is not { } lines) return null;
        return FromLsp.Offset(lines, position) is int offset ? (context, offset) : null;
    }

    /// <summary>Runs a read-only request off the reader thread, logging (and reporting) failures.</summary>
    protected async Task<T?> Read<T>(string method, Func<T?> work, CancellationToken cancellation)
    {
        await Task.Yield();
        cancellation.ThrowIfCancellationRequested();
        try
        {
            return work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Server.Log.Error($"{method} failed: {e}");
            throw new StreamJsonRpc.LocalRpcException($"{method} failed: {e.Message}") { ErrorCode = -32603 };
        }
    }
}
