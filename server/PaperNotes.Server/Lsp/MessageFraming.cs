using System.Collections.Concurrent;
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
/// on a message it cannot read, so bad frames are answered here (-32700 / -32600) and never reach it.
/// </summary>
internal static class MessageValidator
{
    /// <summary>
    /// Null when the body may go on to StreamJsonRpc (an unreadable answer to a server request is replaced in
    /// <paramref name="body"/> by a readable error); else the error response to send (empty: drop it silently).
    /// </summary>
    /// <param name="pending">The server's requests awaiting an answer: a response to anything else is dropped.</param>
    public static byte[]? Check(ref byte[] body, PendingRequests? pending = null)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Error(null, -32600, "Invalid Request: a message must be a JSON object");
            bool hasMethod = root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String;
            bool hasId = root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.Number or JsonValueKind.String;
            if (Unreadable(root) is { } problem)
                return Error(hasId && IsReadableId(id) ? id.Clone() : null, -32600, $"Invalid Request: {problem}");
            bool isResponse = hasId && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _));
            if (!hasMethod && !isResponse)
                return Error(hasId ? id.Clone() : null, -32600, "Invalid Request: no method");
            if (!hasMethod)
            {
                // StreamJsonRpc drops the connection on a response it sent no request for (a client answering twice,
                // or a wrong id), and on an error it cannot read; the request it awaits must still end.
                if (pending is not null && !pending.Answered(id)) return [];
                if (root.TryGetProperty("error", out var error) && !IsReadableError(error))
                    body = Error(id.Clone(), -32603, "Internal error: the client's error response could not be read");
                return null;
            }
            if (root.TryGetProperty("params", out var p) && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                return hasId ? Error(id.Clone(), -32602, "Invalid params: params must be an object or array") : Array.Empty<byte>();
            return null;
        }
        catch (JsonException e)
        {
            if (!IsValidAtAnyDepth(body, out var id, out bool hasMethod)) return Error(null, -32700, $"Parse error: {e.Message}");
            // Valid JSON nested deeper than the parsers allow (64): a request is answered by its id, an answer to a
            // server request becomes an error the server can read.
            if (hasMethod || id is null) return Error(id, -32600, "Invalid Request: nested too deeply");
            if (pending is not null && !pending.Answered(id.Value)) return [];
            body = Error(id, -32603, "Internal error: the client's response is nested too deeply");
            return null;
        }
    }

    /// <summary>An error object as StreamJsonRpc reads it: an integer code and a message (string or null).</summary>
    private static bool IsReadableError(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt64(out _)
        && error.TryGetProperty("message", out var message) && (message.ValueKind == JsonValueKind.Null || message.ValueKind == JsonValueKind.String && Decodes(message));

    /// <summary>
    /// What StreamJsonRpc could not read in the envelope, or null. It drops the connection on such a message:
    /// a "jsonrpc" that is not a string, an id that is not a string, an integer or null, a string with an
    /// escaped lone surrogate.
    /// </summary>
    private static string? Unreadable(JsonElement message)
    {
        foreach (var property in message.EnumerateObject())
        {
            var value = property.Value;
            if (property.NameEquals("jsonrpc") && (value.ValueKind != JsonValueKind.String || !Decodes(value))) return "\"jsonrpc\" must be a string";
            if (property.NameEquals("id") && !IsReadableId(value)) return "\"id\" must be a string, an integer or null";
            if (property.NameEquals("method") && !Decodes(value)) return "\"method\" is not valid UTF-16";
        }
        return null;
    }

    private static bool IsReadableId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Number => id.TryGetInt64(out _),
        JsonValueKind.String => Decodes(id),
        _ => false,
    };

    private static bool Decodes(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        try
        {
            value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True when the body is valid JSON at any depth; <paramref name="id"/> is its top-level readable "id", if any.</summary>
    private static bool IsValidAtAnyDepth(byte[] body, out JsonElement? id, out bool hasMethod)
    {
        id = null;
        hasMethod = false;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName) continue;
                if (reader.ValueTextEquals("method")) hasMethod = true;
                if (!reader.ValueTextEquals("id")) continue;
                reader.Read();
                if (reader.TokenType is JsonTokenType.Number or JsonTokenType.String) id = JsonElement.ParseValue(ref reader);
                if (id is { } found && !IsReadableId(found)) id = null;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
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

/// <summary>The ids of the server's own requests to the client (configuration, registrations) still awaiting an answer.</summary>
internal sealed class PendingRequests
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    /// <summary>Remembers the id of an outgoing message when it is a request (has both an id and a method).</summary>
    public void Sent(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        string? id = null;
        bool hasMethod = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isId = reader.ValueTextEquals("id"), isMethod = reader.ValueTextEquals("method");
                reader.Read();
                if (isId) id = Key(JsonElement.ParseValue(ref reader));
                else if (isMethod) hasMethod = true;
                else reader.Skip();
            }
        }
        catch (JsonException)
        {
            return;
        }
        if (id is not null && hasMethod) _ids.TryAdd(id, 0);
    }

    /// <summary>True, once, for the id of a request the server sent.</summary>
    public bool Answered(JsonElement id) => _ids.TryRemove(Key(id), out _);

    private static string Key(JsonElement id) => $"{id.ValueKind}:{id.GetRawText()}";
}
