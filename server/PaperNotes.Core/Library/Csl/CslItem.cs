using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PaperNotes.Core.Library.Csl;

/// <summary>A CSL variable's value: text (CSL rich text: a few HTML-ish tags), names, a date, or any other
/// JSON-like value an item carried (kept as it was, for pass-through).</summary>
public abstract record CslValue;

/// <summary>A string variable ("title", "page", "DOI"...).</summary>
public sealed record CslText(string Value) : CslValue;

/// <summary>A number as a source wrote it (CSL-JSON allows numbers for "volume", "issue"...).</summary>
public sealed record CslNumber(string Value) : CslValue;

/// <summary>A name variable ("author", "editor"...).</summary>
public sealed record CslNames(IReadOnlyList<CslName> Names) : CslValue
{
    public bool Equals(CslNames? other) => other is not null && Names.SequenceEqual(other.Names);
    public override int GetHashCode() => Names.Count;
}

/// <summary>One CSL name: its parts, or a literal (corporate) name kept whole.</summary>
public sealed record CslName(
    string? Family = null, string? Given = null, string? NonDroppingParticle = null, string? DroppingParticle = null,
    string? Suffix = null, string? Literal = null);

/// <summary>A date variable: date-parts (one list, or two for a range), or a literal.</summary>
public sealed record CslDate(IReadOnlyList<IReadOnlyList<int>> DateParts, string? Literal = null, bool Circa = false) : CslValue
{
    public bool Equals(CslDate? other) =>
        other is not null && Literal == other.Literal && Circa == other.Circa && DateParts.Count == other.DateParts.Count
        && DateParts.Zip(other.DateParts).All(p => p.First.SequenceEqual(p.Second));
    public override int GetHashCode() => DateParts.Count;
}

/// <summary>Any other value (a "custom" object, a list), kept in its JSON-like shape.</summary>
public sealed record CslArray(IReadOnlyList<CslValue> Items) : CslValue
{
    public bool Equals(CslArray? other) => other is not null && Items.SequenceEqual(other.Items);
    public override int GetHashCode() => Items.Count;
}

/// <summary>A nested object, entries in source order.</summary>
public sealed record CslObject(IReadOnlyList<KeyValuePair<string, CslValue>> Entries) : CslValue
{
    public bool Equals(CslObject? other) => other is not null && Entries.SequenceEqual(other.Entries);
    public override int GetHashCode() => Entries.Count;
}

/// <summary>A boolean (CSL-JSON allows them in custom data).</summary>
public sealed record CslBool(bool Value) : CslValue;

/// <summary>
/// One CSL-JSON item: its id and an ordered map of CSL variable → value ("type" included), immutable. BibTeX
/// entries map to it as <c>pandoc -f biblatex -t csljson</c> does (<see cref="BibTeX.BibToCsl"/>); CSL-JSON and
/// CSL-YAML items keep their own variables.
/// </summary>
public sealed class CslItem
{
    private readonly KeyValuePair<string, CslValue>[] _variables;

    public CslItem(string id, IEnumerable<KeyValuePair<string, CslValue>> variables)
    {
        Id = id;
        _variables = [.. variables];
    }

    public string Id { get; }

    /// <summary>Variables in the order the source (or the mapping) gave them; "id" is not among them.</summary>
    public IReadOnlyList<KeyValuePair<string, CslValue>> Variables => _variables;

    public CslValue? this[string variable]
    {
        get
        {
            foreach (var v in _variables)
                if (v.Key == variable) return v.Value;
            return null;
        }
    }

    /// <summary>A text or number variable as a string, else null.</summary>
    public string? Text(string variable) => this[variable] switch
    {
        CslText t => t.Value,
        CslNumber n => n.Value,
        _ => null,
    };

    public string Type => Text("type") ?? "";

    /// <summary>The item as pandoc writes CSL-JSON: keys sorted (ordinal), two-space indentation.</summary>
    public string ToJson() => CslJson.Write([this]);
}

/// <summary>Writes CSL items as a CSL-JSON array, keys sorted as pandoc sorts them.</summary>
public static class CslJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(IEnumerable<CslItem> items)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartArray();
            foreach (var item in items) WriteItem(w, item);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteItem(Utf8JsonWriter w, CslItem item)
    {
        w.WriteStartObject();
        var entries = item.Variables.Where(v => v.Key != "id").Append(new("id", new CslText(item.Id)))
            .OrderBy(v => v.Key, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            w.WritePropertyName(key);
            WriteValue(w, value);
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, CslValue value)
    {
        switch (value)
        {
            case CslText t: w.WriteStringValue(t.Value); break;
            case CslNumber n:
                if (decimal.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) w.WriteRawValue(n.Value);
                else w.WriteStringValue(n.Value);
                break;
            case CslBool b: w.WriteBooleanValue(b.Value); break;
            case CslNames names:
                w.WriteStartArray();
                foreach (var n in names.Names)
                {
                    w.WriteStartObject();
                    if (n.DroppingParticle is not null) w.WriteString("dropping-particle", n.DroppingParticle);
                    if (n.Family is not null) w.WriteString("family", n.Family);
                    if (n.Given is not null) w.WriteString("given", n.Given);
                    if (n.Literal is not null) w.WriteString("literal", n.Literal);
                    if (n.NonDroppingParticle is not null) w.WriteString("non-dropping-particle", n.NonDroppingParticle);
                    if (n.Suffix is not null) w.WriteString("suffix", n.Suffix);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case CslDate d:
                w.WriteStartObject();
                if (d.Circa) w.WriteBoolean("circa", true);
                w.WritePropertyName("date-parts");
                w.WriteStartArray();
                foreach (var part in d.DateParts)
                {
                    w.WriteStartArray();
                    foreach (var x in part) w.WriteNumberValue(x);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                if (d.Literal is not null) w.WriteString("literal", d.Literal);
                w.WriteEndObject();
                break;
            case CslArray list:
                w.WriteStartArray();
                foreach (var x in list.Items) WriteValue(w, x);
                w.WriteEndArray();
                break;
            case CslObject obj:
                w.WriteStartObject();
                foreach (var (k, v) in obj.Entries)
                {
                    w.WritePropertyName(k);
                    WriteValue(w, v);
                }
                w.WriteEndObject();
                break;
        }
    }
}
