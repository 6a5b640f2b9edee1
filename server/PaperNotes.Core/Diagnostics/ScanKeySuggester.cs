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
            bucket.Add(new Candidate(lower, key, KeySignature.Of(lower)));
        }
    }

    public IReadOnlyList<string> Suggest(string unknown, int max = 3)
    {
        var target = unknown.ToLowerInvariant();
        int budget = target.Length <= 4 ? 1 : target.Length <= 8 ? 2 : 3;
        var signature = KeySignature.Of(target);
        var scored = new List<(int Score, string Lower, string Key)>();
        for (int length = Math.Max(1, target.Length - budget); length <= target.Length + budget; length++)
        {
            if (!_byLength.TryGetValue(length, out var bucket)) continue;
            foreach (var candidate in bucket)
            {
                // Each edit changes the character counts by at most 2 in total: a cheap lower bound.
                if (KeySignature.Distance(signature, candidate.Signature) > 2 * budget) continue;
                int distance = KeySuggester.BoundedDistance(target, candidate.Lower, budget);
                if (distance <= budget) scored.Add((distance, candidate.Lower, candidate.Key));
            }
        }
        if (scored.Count < max && target.Length >= 4)
        {
            // Typed the start of a longer key: offer completions after the near misses.
            foreach (var (length, bucket) in _byLength)
            {
                if (length <= target.Length + budget) continue;
                foreach (var candidate in bucket)
                    if (candidate.Lower.StartsWith(target, StringComparison.Ordinal)) scored.Add((budget + 1 + length - target.Length, candidate.Lower, candidate.Key));
            }
        }
        return scored.OrderBy(s => s.Score).ThenBy(s => s.Lower, StringComparer.Ordinal).ThenBy(s => s.Key, StringComparer.Ordinal).Take(max).Select(s => s.Key).ToList();
    }

}
