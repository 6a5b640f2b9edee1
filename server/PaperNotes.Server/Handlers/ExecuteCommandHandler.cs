using System.Text.Json;
using PaperNotes.Server.Lsp;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Handlers;

/// <summary><c>paperNotes.open [uri]</c> (the "Open PDF" / "Open paper note" actions): asks the client to show it —
/// a note in the editor, anything else (a PDF) in the system's viewer.</summary>
public sealed class ExecuteCommandHandler(ClientConnection client, ServerLog log)
{
    [JsonRpcMethod("workspace/executeCommand", UseSingleObjectParameterDeserialization = true)]
    public async Task<object?> ExecuteAsync(P.ExecuteCommandParams request, CancellationToken cancellation)
    {
        if (request.Command != P.Commands.Open || request.Arguments is not [{ ValueKind: JsonValueKind.String } argument, ..])
            throw new LocalRpcException($"unknown command or arguments: {request.Command}") { ErrorCode = -32602 };
        var uri = argument.GetString()!;
        bool inEditor = uri.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || uri.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase);
        try
        {
            await client.RequestAsync<JsonElement?>("window/showDocument", new P.ShowDocumentParams(uri, inEditor ? null : true, true), cancellation);
        }
        catch (RemoteRpcException e) // an error, "method not found"...
        {
            log.Warn($"the client could not show {uri}: {e.Message}");
        }
        return null;
    }
}
