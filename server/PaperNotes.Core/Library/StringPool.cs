using System.Collections.Concurrent;

namespace PaperNotes.Core.Library;

/// <summary>
/// Shares equal values built while one library file is parsed: the same author, venue or name object is
/// stored once however many entries repeat it. Real libraries repeat authors and journals a lot, and a
/// 100,000-entry library is held in memory for the whole session. Lookups are by span: a hit allocates
/// nothing. Thread-safe, since big files are mapped on several cores.
/// </summary>
public sealed class StringPool<T> where T : class
{
    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);

    /// <summary>The pooled value for this raw source text, made by <paramref name="create"/> on a miss.
    /// When <paramref name="create"/> says the value must not be shared (e.g. it reported an error), it is not pooled.</summary>
    public T Get(ReadOnlySpan<char> raw, Func<string, (T Value, bool Shareable)> create)
    {
        var lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(raw, out var existing)) return existing;
        var key = raw.ToString();
        var (value, shareable) = create(key);
        return shareable ? _values.GetOrAdd(key, value) : value;
    }
}
