using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperNotes.Core.Library.Import;

/// <summary>The papers of a listing, or why the text is not one (<see cref="Error"/> names the line).</summary>
public sealed record DailyPapersImport(IReadOnlyList<Paper> Papers, string? Error)
{
    public bool Succeeded => Error is null;

    internal static DailyPapersImport Fail(string error) => new([], error);
}

/// <summary>
/// Imports the text of a Hugging Face "Daily Papers" page (copied from a browser). Each paper is five
/// non-blank lines: title, abstract, byline ("• 7 authors" or "facebook AI at Meta"), "·", and a date
/// ("Feb 12, 2021", or "Jan 26" in the current year) optionally followed by the upvote count. The page
/// header before the first paper is ignored; the last paper may be cut off after its abstract.
/// The "·" lines anchor the parse, so an abstract containing anything at all cannot derail it.
/// </summary>
public static partial class DailyPapersImporter
{
    private const string Separator = "·";

    private static readonly HashSet<string> StopWords = ["a", "an", "the", "on", "of", "in", "for", "to", "and", "is"];

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private const string Expected =
        "a Daily Papers listing has, for each paper, a title line, an abstract, a byline (\"• 3 authors\" or an organisation), "
        + "a \"·\" line and a date such as \"Feb 12, 2021\"";

    private readonly record struct Line(int Number, string Text);

    private sealed record Entry(Line Title, Line? Abstract, Line? Byline, Line? Date);

    public static DailyPapersImport Import(string text, int defaultYear)
    {
        if (text.Contains('\0'))
            return DailyPapersImport.Fail("This is binary data, not a Daily Papers listing.");
        var lines = NonBlankLines(text);
        if (lines.Count == 0)
            return DailyPapersImport.Fail($"The text is empty; {Expected}.");

        var entries = new List<Entry>();
        int next = -1; // index of the first line after the previous paper; -1 = still in the page header
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].Text != Separator) continue;
            if (i < 3 || (next >= 0 && i - 3 < next))
                return DailyPapersImport.Fail($"Line {lines[i].Number}: \"·\" without a title, an abstract and a byline before it; {Expected}.");
            if (next >= 0 && i - 3 > next)
                return DailyPapersImport.Fail($"Line {lines[next].Number}: unexpected text between papers: \"{Clip(lines[next].Text)}\"; {Expected}.");
            if (i + 1 >= lines.Count)
                return DailyPapersImport.Fail($"Line {lines[i].Number}: the listing ends after \"·\"; a date such as \"Feb 12, 2021\" was expected.");
            entries.Add(new Entry(lines[i - 3], lines[i - 2], lines[i - 1], lines[i + 1]));
            next = i + 2;
        }
        if (entries.Count == 0)
            return DailyPapersImport.Fail($"No paper found (line {lines[0].Number}: \"{Clip(lines[0].Text)}\"); this is not a Daily Papers listing: {Expected}.");

        int rest = lines.Count - next;
        if (rest > 3)
            return DailyPapersImport.Fail($"Line {lines[next].Number}: unexpected text after the last paper: \"{Clip(lines[next].Text)}\".");
        if (rest > 0) // the page was cut off after a title, its abstract, or its byline
            entries.Add(new Entry(lines[next], rest > 1 ? lines[next + 1] : null, rest > 2 ? lines[next + 2] : null, null));

        var papers = new List<Paper>(entries.Count);
        var keyCounts = new Dictionary<string, int>();
        foreach (var entry in entries)
        {
            var paper = ToPaper(entry, defaultYear, out var error);
            if (paper is null) return DailyPapersImport.Fail(error!);
            papers.Add(paper with { Key = UniqueKey(paper.Key, keyCounts) });
        }
        return new DailyPapersImport(papers, null);
    }

    private static List<Line> NonBlankLines(string text)
    {
        var result = new List<Line>();
        int number = 0;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            number++;
            var trimmed = raw.Trim();
            if (trimmed.Length > 0) result.Add(new Line(number, trimmed));
        }
        return result;
    }

    private static Paper? ToPaper(Entry entry, int defaultYear, out string? error)
    {
        error = null;
        var fields = new Dictionary<string, string>();
        PaperDate? issued = null;
        if (entry.Date is { } dateLine)
        {
            var m = DateLine().Match(dateLine.Text);
            if (!m.Success)
            {
                error = $"Line {dateLine.Number}: expected a date such as \"Feb 12, 2021\" or \"Jan 26 3\" after \"·\", found \"{Clip(dateLine.Text)}\".";
                return null;
            }
            int month = Array.IndexOf(Months, m.Groups["month"].Value) + 1;
            int day = Int(m.Groups["day"].Value);
            int year = m.Groups["year"].Success ? Int(m.Groups["year"].Value) : defaultYear;
            if (year is < 1 or > 9999 || day > DateTime.DaysInMonth(year, month) || day < 1)
            {
                error = $"Line {dateLine.Number}: \"{dateLine.Text}\" is not a valid date in {year}.";
                return null;
            }
            issued = new PaperDate(year, month, day);
            if (m.Groups["upvotes"].Success) fields["custom.upvotes"] = m.Groups["upvotes"].Value;
        }

        string? organization = null;
        if (entry.Byline is { } byline)
        {
            var authors = AuthorsLine().Match(byline.Text);
            if (authors.Success) fields["custom.authors-count"] = authors.Groups[1].Value;
            else if (byline.Text.StartsWith('•'))
            {
                error = $"Line {byline.Number}: expected a byline such as \"• 3 authors\", found \"{Clip(byline.Text)}\".";
                return null;
            }
            else
            {
                // "facebook AI at Meta": the organisation's handle, then its display name.
                int space = byline.Text.IndexOf(' ');
                organization = space < 0 ? byline.Text : byline.Text[(space + 1)..].Trim();
            }
        }

        var abstractText = entry.Abstract?.Text;
        return new Paper
        {
            Key = BaseKey(entry.Title.Text, issued?.Year),
            Type = "article",
            Title = entry.Title.Text,
            Abstract = abstractText,
            Issued = issued,
            Organization = organization,
            Code = abstractText is null ? null : CodeUrl(abstractText),
            Fields = fields.Count == 0 ? Paper.EmptyFields : fields,
        };
    }

    /// <summary>First title word that is not a stop word, reduced to a–z and 0–9, then the year.</summary>
    internal static string BaseKey(string title, int? year)
    {
        string word = "paper"; // a title of only stop words or non-Latin script still needs a key
        foreach (var raw in title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var sb = new StringBuilder();
            foreach (char c in raw.ToLowerInvariant())
                if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            if (sb.Length == 0 || StopWords.Contains(sb.ToString())) continue;
            word = sb.ToString();
            break;
        }
        return year is int y ? word + y.ToString(CultureInfo.InvariantCulture) : word;
    }

    /// <summary>The 2nd use of a key gets "a", the 3rd "b", ... the 27th "aa".</summary>
    private static string UniqueKey(string key, Dictionary<string, int> counts)
    {
        int seen = counts.GetValueOrDefault(key);
        counts[key] = seen + 1;
        if (seen == 0) return key;
        var suffix = new StringBuilder();
        for (int n = seen; n > 0; n = (n - 1) / 26) suffix.Insert(0, (char)('a' + (n - 1) % 26));
        return key + suffix;
    }

    /// <summary>The first github.com URL, cut at a "{" (arXiv's "{this https URL}" artefact) and
    /// without trailing sentence punctuation.</summary>
    internal static string? CodeUrl(string abstractText)
    {
        var m = GitHubUrl().Match(abstractText);
        if (!m.Success) return null;
        var url = m.Value;
        int brace = url.IndexOf('{');
        if (brace >= 0) url = url[..brace];
        url = url.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '>');
        return url.EndsWith("github.com", StringComparison.OrdinalIgnoreCase) ? null : url;
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";

    [GeneratedRegex(@"^(?<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?<day>\d{1,2})(?:, (?<year>\d{4}))?(?: (?<upvotes>\d+))?$")]
    private static partial Regex DateLine();

    [GeneratedRegex(@"^•\s*(\d+) authors?$")]
    private static partial Regex AuthorsLine();

    [GeneratedRegex(@"(?:https?://)?(?:www\.)?github\.com/[^\s<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex GitHubUrl();
}
