using System.Text;
using PaperNotes.Core.Diagnostics;

namespace PaperNotes.Core.Tests.Diagnostics;

/// <summary>
/// The index must answer exactly what the scan it replaced answers (<see cref="ScanKeySuggester"/>): same keys, same
/// order, same ties. Random libraries of the keys people have (Google Scholar's, with suffixes, arXiv ids, short
/// keys, accents and other scripts, case variants, duplicates, keys from a tiny alphabet so that ties abound) and
/// random typos of their keys (deletions, insertions, substitutions, swaps, a prefix, a change of case). Seeded.
/// </summary>
public class KeySuggesterPropertyTests
{
    private static readonly string[] Families =
        ["vaswani", "smith", "müller", "garcía", "chen", "wang", "li", "ng", "o'neil", "šimon", "李", "nakamura", "devlin", "he", "kim", "zhang"];
    private static readonly string[] Words =
        ["attention", "bert", "deep", "residual", "learning", "a", "graph", "diffusion", "transformer", "scaling", "the", "on", "über", "𝛼lpha"];

    [Fact]
    public void Index_answers_what_the_scan_answers()
    {
        var random = new Random(9);
        int cases = 0;
        for (int library = 0; library < 60; library++)
        {
            var keys = Library(random, random.Next(1, library % 3 == 0 ? 60 : 1500));
            var index = new KeySuggester(keys);
            var scan = new ScanKeySuggester(keys);
            for (int i = 0; i < 100; i++, cases++)
            {
                var typed = i % 10 == 0 ? Key(random) : Typo(random, keys[random.Next(keys.Count)]);
                int max = i % 4 == 0 ? random.Next(0, 8) : 3;
                var expected = scan.Suggest(typed, max);
                var actual = index.Suggest(typed, max);
                Assert.True(expected.SequenceEqual(actual),
                    $"library {library} ({keys.Count} keys), '{typed}', max {max}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
            }
        }
        Assert.Equal(6000, cases);
    }

    [Fact]
    public void An_index_carried_over_through_changes_answers_what_the_scan_of_the_keys_now_answers()
    {
        var random = new Random(27);
        int updates = 0;
        for (int library = 0; library < 12; library++)
        {
            var keys = new HashSet<string>(Library(random, random.Next(50, 2500)), StringComparer.Ordinal);
            var index = new KeySuggester(keys);
            var removed = new List<string>();
            for (int change = 0; change < 8; change++)
            {
                // A reference manager's export: a few keys renamed, removed or added, some removed ones back.
                foreach (var key in keys.OrderBy(_ => random.Next()).Take(random.Next(0, 6)).ToList())
                {
                    keys.Remove(key);
                    removed.Add(key);
                }
                for (int added = random.Next(0, 6); added > 0; added--)
                    keys.Add(removed.Count > 0 && random.Next(3) == 0 ? removed[random.Next(removed.Count)] : Key(random));
                if (change == 5) foreach (var key in keys.Take(keys.Count / 2).ToList()) keys.Remove(key); // half gone: indexed anew
                index = index.Updated(keys);
                updates++;
                Assert.Equal(keys.Count, index.Count);
                var scan = new ScanKeySuggester(keys);
                var list = keys.ToList();
                for (int i = 0; i < 40; i++)
                {
                    var typed = i % 8 == 0 && removed.Count > 0 ? removed[random.Next(removed.Count)]
                        : i % 10 == 1 ? Key(random) : Typo(random, list[random.Next(list.Count)]);
                    var expected = scan.Suggest(typed);
                    var actual = index.Suggest(typed);
                    Assert.True(expected.SequenceEqual(actual),
                        $"library {library}, change {change} ({keys.Count} keys), '{typed}': expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
                }
            }
        }
        Assert.Equal(96, updates);
    }

    [Fact]
    public void Completions_of_a_start_thousands_of_keys_share_are_the_scans_shortest_in_its_order()
    {
        // A reference manager's keys: a few families, so "wang" starts a third of them; case variants and duplicates
        // make ties that only the order (lower-case form, then ordinal) settles; some keys gone after an update.
        var random = new Random(41);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (keys.Count < 6000)
        {
            var key = $"{Pick(random, ["wang", "wangari", "Wang", "WANG", "li"])}{random.Next(1990, 2026)}{Pick(random, Words)}{(random.Next(3) == 0 ? random.Next(100).ToString() : "")}";
            keys.Add(random.Next(10) == 0 ? ChangeCase(random, key) : key);
        }
        var index = new KeySuggester(keys);
        foreach (var key in keys.Where((_, i) => i % 7 == 0).ToList()) keys.Remove(key);
        foreach (var key in new[] { "wang1990a", "Wang1990A", "wangz", "wang2000the" }) keys.Add(key);
        var updated = index.Updated(keys);
        var scan = new ScanKeySuggester(keys);
        foreach (var typed in new[] { "wang", "Wang", "wang1", "wang19", "wang199", "wang2000", "wanga", "li20", "li2025", "wangar", "WANG20" })
            for (int max = 1; max <= 12; max++)
                Assert.Equal(scan.Suggest(typed, max), updated.Suggest(typed, max));
        // Alphabetical as people read it (not 'Z' before 'w' as ordinal has it), case variants then ordinal.
        Assert.Equal(["wang2020", "Zhang2020"], new KeySuggester(["Zhang2020", "wang2020"]).Suggest("hang2020"));
        Assert.Equal(["WANG2020", "Wang2020", "wang2020", "wang2020a"], new KeySuggester(["wang2020a", "wang2020", "Wang2020", "WANG2020"]).Suggest("wang", 4));
    }

    [Fact]
    public void Index_answers_what_the_scan_answers_for_edge_cases()
    {
        string[] keys = ["", "a", "A", "ab", "ba", "abc", "abcd", "abcde", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "a", "x😀y", "😀"];
        var index = new KeySuggester(keys);
        var scan = new ScanKeySuggester(keys);
        foreach (var typed in keys.Concat(["", "b", "abd", "abcx", "ABCD", "bacd", "abcdefghij", "x😀", "😀y", "abcdefghijklmnopqrstuvwxyz"]))
            Assert.Equal(scan.Suggest(typed), index.Suggest(typed));
        Assert.Empty(new KeySuggester([]).Suggest("abc"));
    }

    private static List<string> Library(Random random, int count)
    {
        var keys = new List<string>(count);
        bool tiny = random.Next(4) == 0; // keys over a tiny alphabet: many near misses, many ties
        while (keys.Count < count)
        {
            var key = tiny ? new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => "ab1"[random.Next(3)]).ToArray()) : Key(random);
            keys.Add(key);
            if (random.Next(20) == 0) keys.Add(key); // duplicates
            if (random.Next(20) == 0) keys.Add(ChangeCase(random, key)); // case variants
        }
        return keys;
    }

    private static string Key(Random random) => random.Next(10) switch
    {
        0 => $"{random.Next(1000, 2600)}.{random.Next(0, 100000):D5}", // arXiv id
        1 => $"arxiv:{random.Next(1000, 2600)}.{random.Next(0, 10000):D4}v{random.Next(1, 4)}",
        2 => new string(Enumerable.Range(0, random.Next(1, 5)).Select(_ => (char)('a' + random.Next(26))).ToArray()), // short
        3 => $"{Pick(random, Families)}_{random.Next(1990, 2026)}{(char)('a' + random.Next(4))}", // smith_2020a
        4 => $"{char.ToUpperInvariant(Pick(random, Families)[0])}{Pick(random, Families)[1..]}{random.Next(1990, 2026)}", // Smith2020
        _ => $"{Pick(random, Families)}{random.Next(1990, 2026)}{Pick(random, Words)}", // vaswani2017attention
    };

    private static string Typo(Random random, string key)
    {
        var s = new StringBuilder(key);
        for (int edits = random.Next(0, 5); edits > 0; edits--)
        {
            int at = random.Next(s.Length + 1);
            switch (random.Next(6))
            {
                case 0 when s.Length > 0 && at < s.Length: s.Remove(at, 1); break;
                case 1: s.Insert(at, "aeo1_q"[random.Next(6)]); break;
                case 2 when at < s.Length: s[at] = "aeo1_qü"[random.Next(7)]; break;
                case 3 when at + 1 < s.Length: (s[at], s[at + 1]) = (s[at + 1], s[at]); break;
                case 4: s.Length = Math.Min(s.Length, random.Next(0, s.Length + 1)); break; // a prefix
                case 5: return ChangeCase(random, s.ToString());
            }
        }
        return s.ToString();
    }

    private static string ChangeCase(Random random, string key) =>
        new(key.Select(c => random.Next(3) == 0 ? char.ToUpperInvariant(c) : c).ToArray());

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
