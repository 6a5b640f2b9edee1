using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace PaperNotes.Server.Lsp;

/// <summary>
/// StreamJsonRpc with the LSP's error for parameters that do not read as the method's: -32602 (invalid params), as the
/// specification says, where StreamJsonRpc answers -32000 for a deserialization failure of a method's argument.
/// </summary>
public sealed class LspJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var details = base.CreateErrorDetails(request, exception);
        if (details.Code == JsonRpcErrorCode.InvocationError && (exception is JsonException || exception.InnerException is JsonException))
            details.Code = JsonRpcErrorCode.InvalidParams;
        return details;
    }
}
