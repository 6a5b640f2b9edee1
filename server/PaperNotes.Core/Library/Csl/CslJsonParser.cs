using System.Text;
using System.Text.Json;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.Csl;

/// <summary>Parses a CSL-JSON array (Zotero, Better BibTeX, pandoc), or an object holding one under
/// <c>items</c> / <c>references</c>. Never throws: malformed JSON gives one error at its exact place and
/// the items read before it are kept.</summary>
public static class CslJsonParser
{
    private static readonly JsonReaderOptions Options = new()
    {
        // Hand-edited libraries have them; being lenient here costs nothing.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The file's papers and errors; it keeps its text for the CSL view.</summary>
    public static LibraryFile Parse(string path, string text) =>
        Parse(path, text, null) with { Source = new LibrarySource(SourceText.Keep(text), LibraryKind.CslJson) };

    /// <summary>As <see cref="Parse(string, string)"/>; every item read also goes to <paramref name="nodes"/> (the CSL view).</summary>
    internal static LibraryFile Parse(string path, string text, List<CslNode>? nodes)
    {
        var papers = new List<Paper>();
        var errors = new List<LibraryError>();
        var lines = LineIndex.Create(text);
        if (string.IsNullOrWhiteSpace(text)) return new LibraryFile(path, papers, errors, lines);

        // Utf8JsonReader rejects a byte order mark; skip it and shift every offset by one char.
        int charBase = text[0] == '\uFEFF' ? 1 : 0;
        var bytes = Encoding.UTF8.GetBytes(text.Substring(charBase));
        var offsets = new Utf8Offsets(text, charBase);
        var reader = new Utf8JsonReader(bytes, Options);
        try
        {
            if (!reader.Read()) return new LibraryFile(path, papers, errors, lines);
            if (reader.TokenType == JsonTokenType.StartArray)
                ReadItems(path, ref reader, offsets, papers, errors, nodes);
            else if (reader.TokenType == JsonTokenType.StartObject)
                ReadWrapper(path, ref reader, offsets, papers, errors, nodes);
            else
                errors.Add(new LibraryError(offsets.Span(reader.TokenStartIndex, reader.BytesConsumed),
                    "Expected a JSON array of CSL items."));
            reader.Read(); // a second top-level value is an error the reader reports
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            errors.Add(ErrorAt(ex, bytes, text, charBase));
        }
        return new LibraryFile(path, papers, errors, lines);
    }

    private static void ReadItems(string path, ref Utf8JsonReader reader, Utf8Offsets offsets,
        List<Paper> papers, List<LibraryError> errors, List<CslNode>? nodes)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // Mapped as soon as each item is complete, so items before a syntax error survive.
            var item = ReadValue(ref reader, offsets);
            if (CslItemMapper.Map(path, item, errors) is { } paper)
            {
                papers.Add(paper);
                nodes?.Add(item);
            }
        }
    }

    /// <summary><c>{"items": [...]}</c> or <c>{"references": [...]}</c>; other members are skipped.</summary>
    private static void ReadWrapper(string path, ref Utf8JsonReader reader, Utf8Offsets offsets,
        List<Paper> papers, List<LibraryError> errors, List<CslNode>? nodes)
    {
        long start = reader.TokenStartIndex;
        bool found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name is "items" or "references" && reader.TokenType == JsonTokenType.StartArray)
            {
                found = true;
                ReadItems(path, ref reader, offsets, papers, errors, nodes);
            }
            else reader.Skip();
        }
        if (!found)
            errors.Add(new LibraryError(offsets.Span(start, start + 1),
                "Expected a JSON array of CSL items (or an object with an \"items\" array)."));
    }

    private static CslNode ReadValue(ref Utf8JsonReader reader, Utf8Offsets offsets)
    {
        long start = reader.TokenStartIndex;
        int startChar = offsets.CharAt(start); // now: reading the children moves the cursor past it
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var entries = new List<KeyValuePair<string, CslNode>>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString() ?? "";
                    reader.Read();
                    entries.Add(new(name, ReadValue(ref reader, offsets)));
                }
                return new CslMap(entries, TextSpan.FromBounds(startChar, offsets.CharAt(reader.BytesConsumed)));
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<CslNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, offsets));
                return new CslList(items, TextSpan.FromBounds(startChar, offsets.CharAt(reader.BytesConsumed)));
            }
            case JsonTokenType.String:
            {
                var span = offsets.Span(start, reader.BytesConsumed);
                var inner = new TextSpan(span.Start + 1, Math.Max(0, span.Length - 2)); // without the quotes
                return new CslScalar(reader.GetString(), span, inner);
            }
            default:
            {
                var span = offsets.Span(start, reader.BytesConsumed);
                string? value = reader.TokenType switch
                {
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    _ => null,
                };
                return new CslScalar(value, span, span);
            }
        }
    }

    private static LibraryError ErrorAt(Exception ex, byte[] bytes, string text, int charBase)
    {
        long line = ex is JsonException { LineNumber: long l } ? l : 0;
        long column = ex is JsonException { BytePositionInLine: long c } ? c : 0;
        // Utf8JsonReader counts lines by '\n' and columns in bytes.
        int offset = 0;
        for (long seen = 0; seen < line && offset < bytes.Length; offset++)
            if (bytes[offset] == (byte)'\n') seen++;
        offset = (int)Math.Min(bytes.Length, offset + column);
        int charOffset = charBase + Encoding.UTF8.GetCharCount(bytes, 0, offset);
        int length = charOffset < text.Length ? char.IsHighSurrogate(text[charOffset]) ? 2 : 1 : 0;
        var message = ex.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        return new LibraryError(new TextSpan(charOffset, length), "Invalid JSON: " + message);
    }

    /// <summary>Converts UTF-8 byte offsets (what Utf8JsonReader reports) to UTF-16 char offsets.
    /// Queries come in increasing order, so a forward cursor makes the whole parse linear.</summary>
    private sealed class Utf8Offsets(string text, int charBase)
    {
        private readonly int _charBase = charBase;
        private long _byte;
        private int _char = charBase;

        public TextSpan Span(long startByte, long endByte)
        {
            int start = CharAt(startByte);
            return TextSpan.FromBounds(start, CharAt(endByte));
        }

        public int CharAt(long byteOffset)
        {
            if (byteOffset < _byte) { _byte = 0; _char = _charBase; } // only for an error's place; stay correct anyway
            while (_byte < byteOffset && _char < text.Length)
            {
                char c = text[_char];
                if (c < 0x80) { _byte += 1; _char += 1; }
                else if (c < 0x800) { _byte += 2; _char += 1; }
                else if (char.IsHighSurrogate(c) && _char + 1 < text.Length && char.IsLowSurrogate(text[_char + 1])) { _byte += 4; _char += 2; }
                else { _byte += 3; _char += 1; } // BMP char, or a lone surrogate encoded as U+FFFD
            }
            return _char;
        }
    }
}
