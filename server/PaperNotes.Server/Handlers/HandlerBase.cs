using PaperNotes.Core.Features;
using PaperNotes.Server.Convert;
using PaperNotes.Server.Lsp;
using PaperNotes.Server.State;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary>
/// What every request handler shares: it waits (bounded) for a snapshot that is ready for it — the document's
/// folder indexed and the document's latest text in — then reads that one snapshot, off the reader thread.
/// A document never seen or a position outside it gives null, i.e. an empty result.
/// </summary>
public abstract class HandlerBase(WorkspaceState state, ServerLog log)
{
    /// <summary>A request about a document: <paramref name="work"/> gets its context (null for an unknown document).</summary>
    protected Task<T?> Read<T>(string method, string uri, Func<FeatureContext?, T?> work, CancellationToken cancellation)
    {
        var path = Uris.ToPath(uri);
        var hasText = path is null ? (_ => true) : state.HasLatestTextOf(path);
        return Run(method, s => (path is null || s.FolderOf(path) is not { Indexed: false }) && hasText(s),
            snapshot => work(path is null ? null : snapshot.Context(path)), cancellation);
    }

    /// <summary>A request about the whole workspace: waits for every folder's first index.</summary>
    protected Task<T?> ReadWorkspace<T>(string method, Func<ServerSnapshot, T?> work, CancellationToken cancellation) =>
        Run(method, s => s.Indexed, work, cancellation);

    private async Task<T?> Run<T>(string method, Func<ServerSnapshot, bool> ready, Func<ServerSnapshot, T?> work, CancellationToken cancellation)
    {
        await Task.Yield(); // off StreamJsonRpc's reader: notifications keep flowing in order
        var snapshot = await state.WhenAsync(ready, cancellation);
        cancellation.ThrowIfCancellationRequested();
        try
        {
            return work(snapshot);
        }
        catch (Exception e) when (e is not (OperationCanceledException or StreamJsonRpc.LocalRpcException))
        {
            log.Error($"{method} failed: {e}");
            throw new StreamJsonRpc.LocalRpcException($"{method} failed: {e.Message}") { ErrorCode = -32603 };
        }
    }

    /// <summary>What a resolve request needs, carried in the item it resolves (rust-analyzer's rule): the file it came
    /// from and the key. One type for completion items, inlay hints and code lenses.</summary>
    public sealed record ResolveData(string Path, string Key);

    protected static System.Text.Json.JsonElement DataFor(string path, string key) =>
        System.Text.Json.JsonSerializer.SerializeToElement(new ResolveData(path, key), P.LspJsonContext.Default.ResolveData);

    /// <summary>The data an item to resolve carries, or null when a client sent it back changed or without it.</summary>
    protected static ResolveData? DataOf(System.Text.Json.JsonElement? data) =>
        data is { ValueKind: System.Text.Json.JsonValueKind.Object } d && System.Text.Json.JsonSerializer.Deserialize(d, P.LspJsonContext.Default.ResolveData) is { Path: not null, Key: not null } resolve
            ? resolve : null;

    protected static (FeatureContext Context, int Offset)? At(FeatureContext? context, P.Position position)
    {
        if (context?.Lines is not { } lines) return null;
        return FromLsp.Offset(lines, position) is int offset ? (context, offset) : null;
    }
}
