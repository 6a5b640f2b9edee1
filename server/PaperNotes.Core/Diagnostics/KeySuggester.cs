namespace PaperNotes.Core.Diagnostics;

/// <summary>
/// "Did you mean" for an unknown key: keys within a small edit distance (a swap of two letters counts once)
/// or starting with what was typed, closest first. Keys are bucketed by length and lower-cased once, so a
/// lookup against 100,000 keys only visits the few length buckets that can match.
/// </summary>
public sealed class KeySuggester
{
    private readonly Dictionary<int, List<(string Lower, string Key)>> _byLength = [];

    public KeySuggester(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (!_byLength.TryGetValue(key.Length, out var bucket)) _byLength[key.Length] = bucket = [];
            bucket.Add((key.ToLowerInvariant(), key));
        }
    }

    public IReadOnlyList<string> Suggest(string unknown, int max = 3)
    {
        var target = unknown.ToLowerInvariant();
        int budget = target.Length <= 4 ? 1 : target.Length <= 8 ? 2 : 3;
        var scored = new List<(int Score, string Key)>();
        for (int length = Math.Max(1, target.Length - budget); length <= target.Length + budget; length++)
        {
            if (!_byLength.TryGetValue(length, out var bucket)) continue;
            foreach (var (lower, key) in bucket)
            {
                int distance = BoundedDistance(target, lower, budget);
                if (distance <= budget) scored.Add((distance, key));
            }
        }
        if (scored.Count < max && target.Length >= 4)
        {
            // Typed the start of a longer key: offer completions after the near misses.
            foreach (var (length, bucket) in _byLength)
            {
                if (length <= target.Length + budget) continue;
                foreach (var (lower, key) in bucket)
                    if (lower.StartsWith(target, StringComparison.Ordinal)) scored.Add((budget + 1 + length - target.Length, key));
            }
        }
        return scored.OrderBy(s => s.Score).ThenBy(s => s.Key, StringComparer.Ordinal).Take(max).Select(s => s.Key).ToList();
    }

    /// <summary>Optimal-string-alignment distance, giving up (returns bound + 1) once it must exceed the bound.</summary>
    internal static int BoundedDistance(string a, string b, int bound)
    {
        if (Math.Abs(a.Length - b.Length) > bound) return bound + 1;
        int n = a.Length, m = b.Length;
        Span<int> previous2 = m < 256 ? stackalloc int[m + 1] : new int[m + 1];
        Span<int> previous = m < 256 ? stackalloc int[m + 1] : new int[m + 1];
        Span<int> current = m < 256 ? stackalloc int[m + 1] : new int[m + 1];
        for (int j = 0; j <= m; j++) previous[j] = j;
        for (int i = 1; i <= n; i++)
        {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= m; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > bound) return bound + 1;
            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return previous[m];
    }
}
