using System.Text;

namespace PaperNotes.Bench;

/// <summary>
/// Writes a synthetic but realistic workspace: one big BibTeX library (authors with LaTeX accents, month
/// macros, abstracts as long as arXiv's) and many notes citing it in every pandoc form, with a few unknown keys.
/// Deterministic. <see cref="Version"/> names the shape, so a workspace of an older shape is never reused.
/// </summary>
public static class WorkspaceGenerator
{
    /// <summary>2: abstracts of ~1,100 characters, titles of 8–15 words, 1–30 authors (1: ~200, 4–10, 1–5).</summary>
    public const int Version = 2;

    private static readonly string[] Syllables =
        ["con", "tra", "sti", "ve", "lear", "ning", "trans", "for", "mer", "net", "work", "deep", "re", "pre",
         "sen", "ta", "tion", "self", "su", "per", "vi", "sed", "gra", "ph", "dif", "fu", "sion", "mo", "del",
         "at", "ten", "ro", "bust", "ge", "ne", "ra", "ti", "op", "ti", "mal", "sca", "la", "ble", "vi", "su"];
    private static readonly string[] Families =
        ["Smith", "M{\\\"u}ller", "Garc{\\'\\i}a", "Chen", "Wang", "Nakamura", "Dubois", "Kowalski", "Schölkopf",
         "Ng", "Bengio", "LeCun", "Hinton", "Vaswani", "{\\v{S}}imon", "O'Neil", "van der Berg", "Li", "Zhang", "Kim"];
    private static readonly string[] Given = ["John", "Anna", "Wei", "Yoshua", "Fran{\\c{c}}ois", "Marta", "Ilya", "Sara", "J.~R.", "Ali"];
    private static readonly string[] Venues = ["NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "Journal of Machine Learning Research", "Nature"];
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static (string LibraryPath, IReadOnlyList<string> Keys) Generate(string dir, int papers, int notes, int seed = 7)
    {
        Directory.CreateDirectory(Path.Combine(dir, "library"));
        Directory.CreateDirectory(Path.Combine(dir, "notes"));
        var random = new Random(seed);
        var keys = new List<string>(papers);
        var used = new HashSet<string>();
        var libraryPath = Path.Combine(dir, "library", "big.bib");
        using (var writer = new StreamWriter(libraryPath, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("@string{jmlr = {Journal of Machine Learning Research}}\n\n");
            for (int i = 0; i < papers; i++)
            {
                // As arXiv's are: titles of 8–15 words, 1–30 authors (median about 4), abstracts of about 1,100 characters.
                var title = Sentence(random, random.Next(8, 16), capitalize: true);
                var family = Families[random.Next(Families.Length)];
                int year = 1990 + random.Next(36);
                var baseKey = Plain(family) + year + Plain(Word(random));
                var key = baseKey;
                for (int n = 1; !used.Add(key); n++) key = baseKey + n;
                keys.Add(key);
                int authorCount = AuthorCount(random);
                var authors = string.Join(" and ", Enumerable.Range(0, authorCount).Select(a =>
                    a == 0 ? $"{family}, {Given[random.Next(Given.Length)]}" : $"{Given[random.Next(Given.Length)]} {Families[random.Next(Families.Length)]}"));
                writer.Write($"@article{{{key},\n  author = {{{authors}}},\n  title = {{{{{title}}}}},\n");
                writer.Write(random.Next(10) == 0 ? "  journal = jmlr,\n" : $"  journal = {{{Venues[random.Next(Venues.Length)]}}},\n");
                writer.Write($"  year = {year},\n  month = {Months[random.Next(12)]},\n  doi = {{10.{1000 + random.Next(9000)}/x.{i}}},\n");
                writer.Write($"  abstract = {{{Abstract(random)}}},\n}}\n\n");
            }
        }
        for (int n = 0; n < notes; n++)
        {
            var sb = new StringBuilder();
            sb.Append($"---\ntitle: Note {n}\n---\n# Reading notes {n}\n\n");
            for (int p = 0; p < 10; p++)
            {
                var a = keys[random.Next(keys.Count)];
                var b = keys[random.Next(keys.Count)];
                sb.Append($"{Sentence(random, 12, true)} [see @{a}, p. {random.Next(1, 300)}; @{b}]. ");
                sb.Append($"As @{keys[random.Next(keys.Count)]} argues, {Sentence(random, 8, false)} [-@{keys[random.Next(keys.Count)]}].\n");
                if (p % 3 == 0) sb.Append($"See also [[note{random.Next(notes)}]] and `@notacitation` in code.\n");
                if (random.Next(50) == 0) sb.Append($"A typo: [@{a}x].\n");
                sb.Append('\n');
            }
            File.WriteAllText(Path.Combine(dir, "notes", $"note{n}.md"), sb.ToString());
        }
        return (libraryPath, keys);
    }

    /// <summary>Keys of the shape <see cref="Generate"/> writes (family, year, a word; a number after a repeated one).</summary>
    public static List<string> Keys(int count, int seed = 7)
    {
        var random = new Random(seed);
        var used = new HashSet<string>();
        var keys = new List<string>(count);
        while (keys.Count < count)
        {
            var baseKey = Plain(Families[random.Next(Families.Length)]) + (1990 + random.Next(36)) + Plain(Word(random));
            var key = baseKey;
            for (int n = 1; !used.Add(key); n++) key = baseKey + n;
            keys.Add(key);
        }
        return keys;
    }

    /// <summary>A note of <paramref name="lines"/> lines as people write them: paragraphs of one to six lines set off by
    /// blank lines, a section heading every 40 paragraphs, two citations a line.</summary>
    public static string LongNote(IReadOnlyList<string> keys, int lines, int seed = 11)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("# A long note\n\n");
        int written = 2, paragraphs = 0;
        while (written < lines)
        {
            if (++paragraphs % 40 == 0)
            {
                sb.Append($"## {Sentence(random, 4, true)}\n\n");
                written += 2;
                continue;
            }
            int n = Math.Min(random.Next(1, 7), lines - written);
            for (int i = 0; i < n; i++)
                sb.Append($"{Sentence(random, 8, true)} [@{keys[random.Next(keys.Count)]}] and @{keys[random.Next(keys.Count)]}.\n");
            sb.Append('\n');
            written += n + 1;
        }
        return sb.ToString();
    }

    /// <summary>1–30, median 4, a long tail: the author counts of arXiv papers.</summary>
    internal static int AuthorCount(Random random)
    {
        // Log-normal: exp(N(ln 4, 0.75)).
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Clamp((int)Math.Round(Math.Exp(Math.Log(4) + 0.75 * normal)), 1, 30);
    }

    /// <summary>Sentences up to about 1,100 characters (between 600 and 1,700), with the LaTeX an abstract holds.</summary>
    internal static string Abstract(Random random)
    {
        int target = Math.Clamp((int)(1100 + 250 * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2), 600, 1700);
        var sb = new StringBuilder();
        while (sb.Length < target)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Sentence(random, random.Next(12, 28), capitalize: true));
            sb.Append(random.Next(8) switch { 0 => " with 95\\% confidence", 1 => " --- as shown in $O(n \\log n)$ ---", 2 => " in {\\em all} cases", _ => "" });
            sb.Append('.');
        }
        return sb.ToString();
    }

    public static string Word(Random random)
    {
        int n = random.Next(2, 4);
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.Append(Syllables[random.Next(Syllables.Length)]);
        return sb.ToString();
    }

    private static string Sentence(Random random, int words, bool capitalize)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < words; i++)
        {
            if (i > 0) sb.Append(' ');
            var w = Word(random);
            sb.Append(i == 0 && capitalize ? char.ToUpperInvariant(w[0]) + w[1..] : w);
        }
        return sb.ToString();
    }

    private static string Plain(string s) => new(s.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
}
