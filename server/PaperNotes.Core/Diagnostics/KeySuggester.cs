using System.Runtime.Intrinsics;

namespace PaperNotes.Core.Diagnostics;

/// <summary>
/// "Did you mean" for an unknown key: keys within a small edit distance (a swap of two letters counts once)
/// or starting with what was typed, closest first. Built once per library, so a lookup costs what the typed key's
/// neighbourhood holds, not what the library holds.
/// </summary>
/// <remarks>
/// The index is a pigeonhole over exact pieces (as PassJoin's). Each key (lower-cased) is cut into five segments by
/// its length. An alignment of at most k edits leaves at least 5 - k segments as they were, at their place shifted by
/// the insertions and deletions before them, once a swap of two letters across a cut is allowed for: each segment is
/// indexed as it is and with its first (last) letter swapped with the one before (after) it. So any k + 1 segments
/// hold an unchanged one: a lookup sizes every segment's candidates first and then reads only the k + 1 smallest,
/// which skips the start a library's keys share by the thousand (<c>smith2…</c>, <c>2505.…</c>). Each key read is checked
/// with a character-count bound, then the same edit distance as before. Postings are one int array grouped by hash
/// bucket (CSR); a bucket shared by chance only adds keys the checks reject. Keys starting with what was typed are one
/// range of the keys sorted by their lower-case form, and the shortest of them are found length by length. Ties are
/// listed by lower-case form, then ordinal.
/// </remarks>
public sealed class KeySuggester
{
    private const int Segments = 5;
    private const int MaxShifts = 2 * 3 + 1; // -budget..budget

    // Ordered by lower-case form (ordinal), so keys sharing a prefix are one run; a key's id is its place here.
    private readonly string[] _keys;
    private readonly string[] _lower;
    private readonly Vector128<byte>[] _signatures; // read per posting, so kept beside the ids rather than recounted
    private readonly int[] _countByLength;
    // The ids of the keys of each length, ascending: _idsByLength[_lengthStart[i].._lengthStart[i + 1]] have length
    // _lengths[i]. Completions take the first ids of a prefix's range length by length, shortest first.
    private readonly int[] _lengths;
    private readonly int[] _lengthStart;
    private readonly int[] _idsByLength;
    // Bucket b's keys are _postings[_bucketStart[b].._bucketStart[b + 1]].
    private readonly int[] _bucketStart;
    private readonly int[] _postings;
    private readonly int _bucketShift;
    // After a library changed (Updated): this index's keys the library no longer has, and an index of those it gained
    // (none of them in this one), so that a reload re-indexes only its changed keys.
    private readonly HashSet<string>? _gone;
    private readonly KeySuggester? _gained;

    /// <summary>This index's keys with some gone and others gained in a layer of their own.</summary>
    private KeySuggester(KeySuggester index, HashSet<string> gone, KeySuggester? gained)
    {
        _keys = index._keys;
        _lower = index._lower;
        _signatures = index._signatures;
        _countByLength = index._countByLength;
        _lengths = index._lengths;
        _lengthStart = index._lengthStart;
        _idsByLength = index._idsByLength;
        _bucketStart = index._bucketStart;
        _postings = index._postings;
        _bucketShift = index._bucketShift;
        _gone = gone.Count > 0 ? gone : null;
        _gained = gained;
    }

    /// <summary>How many keys it suggests from.</summary>
    public int Count => _keys.Length - (_gone?.Count ?? 0) + (_gained?.Count ?? 0);

    /// <summary>From this share of changed keys on (and at least this many), an update indexes anew.</summary>
    private const int UpdateAtMostShare = 4, UpdateAlwaysBelow = 1_000;

    /// <summary>
    /// The index of <paramref name="keys"/> (a library's keys after a change) from this one: the keys this one holds are
    /// kept, those gone are skipped, and only those gained are indexed, in a small layer beside it. Linear in the
    /// keys (one lookup each), not in what indexing them costs; indexes anew when many changed.
    /// </summary>
    public KeySuggester Updated(ICollection<string> keys)
    {
        var gone = _gone is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(_gone, StringComparer.Ordinal);
        var gained = _gained is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(_gained._keys, StringComparer.Ordinal);
        int kept = 0;
        foreach (var key in _keys)
        {
            if (gone.Contains(key)) continue;
            if (keys.Contains(key)) kept++;
            else gone.Add(key);
        }
        gained.RemoveWhere(key => !keys.Contains(key));
        // Every key is kept in this index or gained in the layer; when the counts say some are neither, find them.
        if (kept + gained.Count < keys.Count)
            foreach (var key in keys)
                if (!gained.Contains(key) && (gone.Contains(key) || !Holds(key)))
                {
                    if (!gone.Remove(key)) gained.Add(key);
                }
        if (gone.Count + gained.Count >= UpdateAlwaysBelow && gone.Count + gained.Count > keys.Count / UpdateAtMostShare) return new KeySuggester(keys);
        return new KeySuggester(this, gone, gained.Count > 0 ? new KeySuggester(gained) : null);
    }

    /// <summary>Whether this index (gone keys included) holds the key.</summary>
    private bool Holds(string key)
    {
        var lower = key.ToLowerInvariant();
        for (int id = FirstAtLeast(lower); id < _lower.Length && _lower[id] == lower; id++)
            if (_keys[id] == key) return true;
        return false;
    }

    public KeySuggester(IEnumerable<string> keys)
    {
        _keys = keys.ToArray();
        _lower = Array.ConvertAll(_keys, k => k.ToLowerInvariant()); // the same string when already lower-case
        Array.Sort(_lower, _keys, StringComparer.Ordinal);
        // Keys alike but for case: ordinal among themselves, so that a key's id is its place in the order suggestions
        // are listed in (lower-case form, then the key).
        for (int run = 0, end; run < _lower.Length; run = end)
        {
            for (end = run + 1; end < _lower.Length && _lower[end] == _lower[run];) end++;
            if (end - run > 1) Array.Sort(_keys, run, end - run, StringComparer.Ordinal);
        }
        _signatures = Array.ConvertAll(_lower, KeySignature.Of);
        _countByLength = new int[_lower.Length == 0 ? 1 : _lower.Max(k => k.Length) + 1];
        foreach (var key in _lower) _countByLength[key.Length]++;
        _lengths = Enumerable.Range(0, _countByLength.Length).Where(length => _countByLength[length] > 0).ToArray();
        _lengthStart = new int[_lengths.Length + 1];
        for (int i = 0; i < _lengths.Length; i++) _lengthStart[i + 1] = _lengthStart[i] + _countByLength[_lengths[i]];
        _idsByLength = new int[_lower.Length];
        var fill = _lengthStart[..^1];
        for (int id = 0; id < _lower.Length; id++) _idsByLength[fill[Array.BinarySearch(_lengths, _lower[id].Length)]++] = id;
        // About two postings a bucket (a key has at most 3 x 5 - 2): more buckets cost more than the collisions they save.
        int bits = Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(_lower.Length * 13L / 2, 2))), 4, 30);
        _bucketShift = 64 - bits;
        _bucketStart = new int[(1 << bits) + 1];
        for (int id = 0; id < _lower.Length; id++) AddPostings(id, null);
        for (int b = 1; b < _bucketStart.Length; b++) _bucketStart[b] += _bucketStart[b - 1]; // now each bucket's end
        _postings = new int[_bucketStart[^1]];
        // Filled from each bucket's end down, last key first: each bucket ends up in id order, starting at _bucketStart[b].
        for (int id = _lower.Length - 1; id >= 0; id--) AddPostings(id, _postings);
    }

    /// <summary>Counts (<paramref name="fill"/> null) or places the postings of one key: each segment as it is and with
    /// a letter swapped across either of its cuts.</summary>
    private void AddPostings(int id, int[]? fill)
    {
        var key = _lower[id];
        if (key.Length == 0) return; // never suggested (no near miss has length 0, no completion is that short)
        for (int segment = 0; segment < Segments; segment++)
        {
            int from = Start(key.Length, segment), to = Start(key.Length, segment + 1);
            var text = key.AsSpan(from, to - from);
            Add(Bucket(key.Length, segment, text, -1, '\0'));
            if (from > 0 && from < to && key[from - 1] != key[from]) Add(Bucket(key.Length, segment, text, 0, key[from - 1]));
            if (to < key.Length && from < to && key[to - 1] != key[to]) Add(Bucket(key.Length, segment, text, text.Length - 1, key[to]));
        }

        void Add(int bucket)
        {
            if (fill is null) _bucketStart[bucket]++;
            else fill[--_bucketStart[bucket]] = id;
        }
    }

    public IReadOnlyList<string> Suggest(string unknown, int max = 3)
    {
        var target = unknown.ToLowerInvariant();
        int n = target.Length;
        int budget = n <= 4 ? 1 : n <= 8 ? 2 : 3;
        var signature = KeySignature.Of(target);
        var near = new List<(int Distance, int Id, KeySuggester Layer)>();
        CollectNear(target, budget, signature, near);
        _gained?.CollectNear(target, budget, signature, near);
        near.Sort((a, b) => a.Distance != b.Distance ? a.Distance - b.Distance : Order(a.Layer, a.Id, b.Layer, b.Id));
        var result = near.Take(Math.Max(max, 0)).Select(s => s.Layer._keys[s.Id]).ToList();
        // Typed the start of a longer key: offer completions after the near misses (shortest first). Shorter keys
        // starting with it are near misses already.
        if (result.Count < max && n >= 4)
        {
            var completions = new List<(int Id, KeySuggester Layer)>();
            AddCompletions(target, n + budget, max - result.Count, completions);
            if (_gained is not null)
            {
                _gained.AddCompletions(target, n + budget, max - result.Count, completions);
                completions.Sort((a, b) => a.Layer._lower[a.Id].Length != b.Layer._lower[b.Id].Length
                    ? a.Layer._lower[a.Id].Length - b.Layer._lower[b.Id].Length
                    : Order(a.Layer, a.Id, b.Layer, b.Id));
            }
            result.AddRange(completions.Take(max - result.Count).Select(c => c.Layer._keys[c.Id]));
        }
        return result;
    }

    /// <summary>This layer's keys within the budget of the typed key, with their distance (keys gone skipped).</summary>
    private void CollectNear(string target, int budget, Vector128<byte> signature, List<(int Distance, int Id, KeySuggester Layer)> near)
    {
        int n = target.Length;
        var seen = new HashSet<int>();
        Span<int> buckets = stackalloc int[Segments * MaxShifts];
        Span<int> bucketCount = stackalloc int[Segments];
        Span<long> size = stackalloc long[Segments];
        for (int length = Math.Max(1, n - budget); length <= Math.Min(n + budget, _countByLength.Length - 1); length++)
        {
            if (_countByLength[length] == 0) continue;
            // An unchanged segment sits where the typed key has it, moved by the insertions and deletions before it
            // (shift); those after it make up the rest of the length difference, and all of them fit the budget.
            int difference = n - length;
            for (int segment = 0; segment < Segments; segment++)
            {
                int from = Start(length, segment), segmentLength = Start(length, segment + 1) - from;
                bucketCount[segment] = 0;
                size[segment] = 0;
                for (int shift = -budget; shift <= budget; shift++)
                {
                    if (Math.Abs(shift) + Math.Abs(difference - shift) > budget || from + shift < 0 || from + shift + segmentLength > n) continue;
                    int bucket = Bucket(length, segment, target.AsSpan(from + shift, segmentLength), -1, '\0');
                    buckets[segment * MaxShifts + bucketCount[segment]++] = bucket;
                    size[segment] += _bucketStart[bucket + 1] - _bucketStart[bucket];
                }
            }
            // At most budget segments changed: any budget + 1 hold an unchanged one. Read the smallest.
            for (int read = 0; read <= budget; read++)
            {
                int segment = 0;
                for (int other = 1; other < Segments; other++)
                    if (size[other] < size[segment]) segment = other;
                size[segment] = long.MaxValue;
                for (int b = 0; b < bucketCount[segment]; b++)
                {
                    int bucket = buckets[segment * MaxShifts + b];
                    for (int p = _bucketStart[bucket]; p < _bucketStart[bucket + 1]; p++)
                    {
                        int id = _postings[p];
                        // Keys sharing a segment with the typed key may come by the hundred: most fail the count bound.
                        // (A key of another length, there by a bucket's chance, is still checked right.)
                        if (KeySignature.Distance(signature, _signatures[id]) > 2 * budget || !seen.Add(id)) continue;
                        int distance = BoundedDistance(target, _lower[id], budget);
                        if (distance <= budget && _gone?.Contains(_keys[id]) != true) near.Add((distance, id, this));
                    }
                }
            }
        }
    }

    /// <summary>Adds the <paramref name="count"/> shortest keys longer than <paramref name="longerThan"/> starting with
    /// <paramref name="prefix"/> (then in suggestion order), in that order. The keys starting with it are one range of
    /// ids, and a length's ids ascend: per length, the first of them in the range, so a short prefix shared by 50,000
    /// keys costs a binary search a length, not a read of each.</summary>
    private void AddCompletions(string prefix, int longerThan, int count, List<(int Id, KeySuggester Layer)> into)
    {
        int from = FirstAtLeast(prefix), to = from, high = _lower.Length;
        while (to < high)
        {
            int middle = (to + high) >>> 1;
            if (_lower[middle].StartsWith(prefix, StringComparison.Ordinal)) to = middle + 1;
            else high = middle;
        }
        if (from == to) return;
        for (int i = FirstLengthAbove(longerThan); i < _lengths.Length && count > 0; i++)
        {
            int at = Array.BinarySearch(_idsByLength, _lengthStart[i], _lengthStart[i + 1] - _lengthStart[i], from);
            for (at = at < 0 ? ~at : at; at < _lengthStart[i + 1] && _idsByLength[at] < to && count > 0; at++)
            {
                int id = _idsByLength[at];
                if (_gone?.Contains(_keys[id]) == true) continue;
                into.Add((id, this));
                count--;
            }
        }
    }

    private int FirstLengthAbove(int length)
    {
        int at = Array.BinarySearch(_lengths, length + 1);
        return at < 0 ? ~at : at;
    }

    /// <summary>The order suggestions of one distance (or completions of one length) are listed in: by lower-case form,
    /// then ordinal.</summary>
    private static int Order(KeySuggester a, int idA, KeySuggester b, int idB)
    {
        int byLower = string.CompareOrdinal(a._lower[idA], b._lower[idB]);
        return byLower != 0 ? byLower : string.CompareOrdinal(a._keys[idA], b._keys[idB]);
    }

    private int FirstAtLeast(string prefix)
    {
        int low = 0, high = _lower.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (string.CompareOrdinal(_lower[middle], prefix) < 0) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>Where segment <paramref name="segment"/> of a key of <paramref name="length"/> characters starts (their end when segment = 5).</summary>
    private static int Start(int length, int segment) => length * segment / Segments;

    /// <summary>The bucket of a segment's text for a key length, with the character at <paramref name="replaceAt"/>
    /// replaced (none when -1).</summary>
    private int Bucket(int length, int segment, ReadOnlySpan<char> text, int replaceAt, char replacement)
    {
        ulong hash = 0xcbf29ce484222325UL ^ (ulong)(length * Segments + segment) * 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < text.Length; i++)
            hash = (hash ^ (i == replaceAt ? replacement : text[i])) * 0x100000001b3UL; // FNV-1a
        hash ^= hash >> 33; // then a finalizer, so the top bits (the bucket) depend on every character
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return (int)(hash >> _bucketShift);
    }


    /// <summary>Optimal-string-alignment distance in a band of ±bound, giving up (bound + 1) once it must exceed the bound.</summary>
    internal static int BoundedDistance(string a, string b, int bound)
    {
        if (Math.Abs(a.Length - b.Length) > bound) return bound + 1;
        int n = a.Length, m = b.Length;
        int big = bound + 1;
        Span<int> previous2 = m < 256 ? stackalloc int[m + 1] : new int[m + 1];
        Span<int> previous = m < 256 ? stackalloc int[m + 1] : new int[m + 1];
        Span<int> current = m < 256 ? stackalloc int[m + 1] : new int[m + 1];
        for (int j = 0; j <= m; j++) previous[j] = Math.Min(j, big);
        for (int i = 1; i <= n; i++)
        {
            int from = Math.Max(1, i - bound), to = Math.Min(m, i + bound);
            current[0] = Math.Min(i, big);
            if (from > 1) current[from - 1] = big;
            int rowMin = current[0] <= bound && from == 1 ? current[0] : big;
            for (int j = from; j <= to; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int up = j <= i - 1 + bound ? previous[j] : big;
                int value = Math.Min(Math.Min(up + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = Math.Min(value, big);
                rowMin = Math.Min(rowMin, current[j]);
            }
            if (to < m) current[to + 1] = big;
            if (rowMin > bound) return big;
            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return Math.Min(previous[m], big);
    }
}
