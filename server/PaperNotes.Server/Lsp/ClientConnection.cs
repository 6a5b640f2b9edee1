using StreamJsonRpc;

namespace PaperNotes.Server.Lsp;

/// <summary>What the server may say to the client, and what it knows the client can do (read once from initialize).</summary>
public sealed class ClientConnection(JsonRpc rpc)
{
    public ClientCapabilities Capabilities { get; private set; } = ClientCapabilities.None;

    internal void Initialize(ClientCapabilities capabilities) => Capabilities = capabilities;

    public Task NotifyAsync(string method, object parameters) =>
        rpc.IsDisposed ? Task.CompletedTask : rpc.NotifyWithParameterObjectAsync(method, parameters);

    public Task<T> RequestAsync<T>(string method, object parameters, CancellationToken cancellation = default) =>
        rpc.InvokeWithParameterObjectAsync<T>(method, parameters, cancellation);
}
