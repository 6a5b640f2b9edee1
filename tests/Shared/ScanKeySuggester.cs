using System.Runtime.Intrinsics;

namespace PaperNotes.Tests;

/// <summary>
/// The "did you mean" scan <c>PaperNotes.Core.Diagnostics.KeySuggester</c> replaced, kept verbatim (as of commit
/// 3a11cf7) as the tests' oracle and the bench's baseline: keys are lower-cased and bucketed by length, each with a
/// character-count signature (a lower bound on the distance); every key of a length within the budget is compared.
/// </summary>
internal sealed class ScanKeySuggester
{
    private readonly Dictionary<int, List<Candidate>> _byLength = [];

    private readonly record struct Candidate(string Lower, string Key, Vector128<byte> Signature);

    public ScanKeySuggester(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (!_byLength.TryGetValue(key.Length, out var bucket)) _byLength[key.Length] = bucket = [];
            var lower = key.ToLowerInvariant();
            bucket.Add(new Candidate(lower, key, Signature(lower)));
        }
    }

    public IReadOnlyList<string> Suggest(string unknown, int max = 3)
    {
        var target = unknown.ToLowerInvariant();
        int budget = target.Length <= 4 ? 1 : target.Length <= 8 ? 2 : 3;
        var signature = Signature(target);
        var scored = new List<(int Score, string Key)>();
        for (int length = Math.Max(1, target.Length - budget); length <= target.Length + budget; length++)
        {
            if (!_byLength.TryGetValue(length, out var bucket)) continue;
            foreach (var candidate in bucket)
            {
                // Each edit changes the character counts by at most 2 in total: a cheap lower bound.
                if (CountDistance(signature, candidate.Signature) > 2 * budget) continue;
                int distance = BoundedDistance(target, candidate.Lower, budget);
                if (distance <= budget) scored.Add((distance, candidate.Key));
            }
        }
        if (scored.Count < max && target.Length >= 4)
        {
            // Typed the start of a longer key: offer completions after the near misses.
            foreach (var (length, bucket) in _byLength)
            {
                if (length <= target.Length + budget) continue;
                foreach (var candidate in bucket)
                    if (candidate.Lower.StartsWith(target, StringComparison.Ordinal)) scored.Add((budget + 1 + length - target.Length, candidate.Key));
            }
        }
        return scored.OrderBy(s => s.Score).ThenBy(s => s.Key, StringComparer.Ordinal).Take(max).Select(s => s.Key).ToList();
    }

    /// <summary>16 saturating byte counters of characters (by code % 16).</summary>
    private static Vector128<byte> Signature(string s)
    {
        Span<byte> counts = stackalloc byte[16];
        foreach (var c in s)
            if (counts[c & 15] < 255) counts[c & 15]++;
        return Vector128.Create((ReadOnlySpan<byte>)counts);
    }

    /// <summary>Sum over the 16 counters of |a - b|, in a few vector instructions.</summary>
    private static int CountDistance(Vector128<byte> a, Vector128<byte> b)
    {
        var difference = Vector128.Max(a, b) - Vector128.Min(a, b);
        var (low, high) = Vector128.Widen(difference);
        return Vector128.Sum(low + high);
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
