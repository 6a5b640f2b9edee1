using System.Runtime.Intrinsics;

namespace PaperNotes.Core.Diagnostics;

/// <summary>A key's character counts, to reject most candidates of "did you mean" before any edit-distance work.</summary>
internal static class KeySignature
{
    /// <summary>16 saturating byte counters of characters (by code % 16).</summary>
    public static Vector128<byte> Of(string s)
    {
        Span<byte> counts = stackalloc byte[16];
        foreach (var c in s)
            if (counts[c & 15] < 255) counts[c & 15]++;
        return Vector128.Create((ReadOnlySpan<byte>)counts);
    }

    /// <summary>Sum over the 16 counters of |a - b|, in a few vector instructions: each edit changes it by at most 2,
    /// so it is a lower bound on twice the edit distance.</summary>
    public static int Distance(Vector128<byte> a, Vector128<byte> b)
    {
        var difference = Vector128.Max(a, b) - Vector128.Min(a, b);
        var (low, high) = Vector128.Widen(difference);
        return Vector128.Sum(low + high);
    }
}
