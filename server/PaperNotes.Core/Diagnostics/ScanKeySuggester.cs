using System.Runtime.Intrinsics;

namespace PaperNotes.Core.Diagnostics;

/// <summary>
/// "Did you mean" by a scan, the same answers as <see cref="KeySuggester"/>: what a large library answers with while
/// its index is built (this builds ten times faster, a lookup costs ten to a thousand times more), the tests' oracle
/// and the bench's baseline. Keys are lower-cased and bucketed by length, each with a character-count signature (a
/// lower bound on the distance); every key of a length within the budget is compared, and for completions every key.
/// </summary>
public sealed class ScanKeySuggester
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
                int distance = KeySuggester.BoundedDistance(target, candidate.Lower, budget);
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
}
