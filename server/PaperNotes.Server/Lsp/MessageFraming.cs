using System.Text;
using System.Text.Json;

namespace PaperNotes.Server.Lsp;

/// <summary>One LSP frame: its body, or why it could not be read.</summary>
internal sealed record Frame(byte[]? Body, string? Error);

/// <summary>Reads <c>Content-Length</c>-framed messages from a stream. Tolerates "\n" line ends and junk headers.</summary>
internal sealed class FrameReader(Stream stream)
{
    private const int MaxBody = 1 << 30;
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;

    /// <summary>The next frame, or null at end of stream.</summary>
    public async Task<Frame?> ReadAsync(CancellationToken cancellation)
    {
        int? length = null;
        bool sawHeader = false;
        while (true)
        {
            var line = await ReadLineAsync(cancellation);
            if (line is null) return sawHeader ? new Frame(null, "unexpected end of stream in message header") : null;
            if (line.Length == 0)
            {
                if (!sawHeader) continue; // stray blank line between messages
                break;
            }
            sawHeader = true;
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), out var n) && n >= 0)
                length = n;
        }
        if (length is null) return new Frame(null, "message header without a valid Content-Length");
        if (length > MaxBody) return new Frame(null, $"message of {length} bytes is too large");
        var body = new byte[length.Value];
        int filled = 0;
        while (filled < body.Length)
        {
            if (_start < _end)
            {
                int n = Math.Min(_end - _start, body.Length - filled);
                Buffer.BlockCopy(_buffer, _start, body, filled, n);
                _start += n;
                filled += n;
                continue;
            }
            int read = await stream.ReadAsync(body.AsMemory(filled), cancellation);
            if (read == 0) return new Frame(null, "unexpected end of stream in message body");
            filled += read;
        }
        return new Frame(body, null);
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                int lineEnd = newline > _start && _buffer[newline - 1] == '\r' ? newline - 1 : newline;
                var line = Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start);
                _start = newline + 1;
                return line;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= 1 << 20) { _start = _end = 0; continue; } // absurd header line: drop it
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellation);
            if (read == 0)
            {
                if (_end == 0) return null;
                var rest = Encoding.ASCII.GetString(_buffer, 0, _end);
                _start = _end = 0;
                return rest;
            }
            _end += read;
        }
    }
}

/// <summary>Writes whole frames to a stream, one at a time, so replies from two sources never interleave.</summary>
internal sealed class FrameWriter(Stream stream)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task WriteAsync(byte[] body, CancellationToken cancellation)
    {
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _lock.WaitAsync(cancellation);
        try
        {
            await stream.WriteAsync(header, cancellation);
            await stream.WriteAsync(body, cancellation);
            await stream.FlushAsync(cancellation);
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>
/// Decides whether a frame is a JSON-RPC message StreamJsonRpc can take. StreamJsonRpc drops the connection
/// on a parse error, so bad frames are answered here (-32700 / -32600) and never reach it.
/// </summary>
internal static class MessageValidator
{
    /// <summary>Null when the body is fine; else the error response to send.</summary>
    public static byte[]? Check(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Error(null, -32600, "Invalid Request: a message must be a JSON object");
            bool hasMethod = root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String;
            bool hasId = root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.Number or JsonValueKind.String;
            bool isResponse = hasId && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _));
            if (!hasMethod && !isResponse)
                return Error(hasId ? id.Clone() : null, -32600, "Invalid Request: no method");
            if (hasMethod && root.TryGetProperty("params", out var p) && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                return hasId ? Error(id.Clone(), -32602, "Invalid params: params must be an object or array") : Array.Empty<byte>();
            return null;
        }
        catch (JsonException e)
        {
            return Error(null, -32700, $"Parse error: {e.Message}");
        }
    }

    public static byte[] Error(JsonElement? id, int code, string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            if (id is { } value) value.WriteTo(writer); else writer.WriteNullValue();
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
