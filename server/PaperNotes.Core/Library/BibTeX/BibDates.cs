namespace PaperNotes.Core.Library.BibTeX;

/// <summary>The issued date of an entry: BibLaTeX <c>date</c> (YYYY, YYYY-MM, YYYY-MM-DD; a range takes its
/// start) else <c>year</c> + <c>month</c> (number, macro expansion or English name).</summary>
internal static class BibDates
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>From the decoded date, year and month fields.</summary>
    public static PaperDate? Issued(string? date, string? year, string? month)
    {
        if (date is not null)
        {
            var d = ParseDate(date);
            if (d is not null) return d;
        }
        if (year is null) return null;
        var y = year;
        var yearNumber = LeadingYear(y);
        if (yearNumber is null) return new PaperDate(null, Literal: y);
        return new PaperDate(yearNumber, month is null ? null : Month(month));
    }

    /// <summary>ISO 8601 / EDTF-ish: "2004", "2004-05", "2004-05-21", "2004-05/2005", "-0044", "2004?", "2004~"; else a literal.</summary>
    private static PaperDate? ParseDate(string s)
    {
        var span = s.AsSpan().Trim();
        if (span.IsEmpty) return null;
        int slash = span.IndexOf('/');
        if (slash == 0) span = span[1..];
        else if (slash > 0) span = span[..slash];
        int i = 0;
        bool negative = span.Length > 0 && span[0] == '-';
        if (negative) i++;
        int ys = i;
        int year = 0;
        for (; i < span.Length && (char.IsAsciiDigit(span[i]) || span[i] is 'u' or 'X' or 'x') && i - ys < 9; i++)
            year = year * 10 + (char.IsAsciiDigit(span[i]) ? span[i] - '0' : 0); // EDTF "20uu": unspecified digits count as 0
        if (i - ys < 1 || i - ys > 4 && !negative) return new PaperDate(null, Literal: s);
        if (negative) year = -year;
        int? month = null, day = null;
        if (i < span.Length && span[i] == '-' && TwoDigits(span, i + 1, out int m) && m is >= 1 and <= 12)
        {
            month = m;
            i += 3;
            if (i < span.Length && span[i] == '-' && TwoDigits(span, i + 1, out int dd) && dd is >= 1 and <= 31)
                day = dd;
        }
        return new PaperDate(year, month, day);
    }

    private static bool TwoDigits(ReadOnlySpan<char> s, int at, out int value)
    {
        value = 0;
        if (at + 1 >= s.Length || !char.IsAsciiDigit(s[at]) || !char.IsAsciiDigit(s[at + 1])) return false;
        value = (s[at] - '0') * 10 + s[at + 1] - '0';
        return true;
    }

    /// <summary>The first run of 1–4 digits: "2006", "{2006}", "1990a", "c. 1850".</summary>
    private static int? LeadingYear(string y)
    {
        var span = y.AsSpan();
        int i = 0;
        while (i < span.Length && !char.IsAsciiDigit(span[i])) i++;
        int s = i;
        while (i < span.Length && char.IsAsciiDigit(span[i])) i++;
        if (i == s || i - s > 4) return null;
        return int.Parse(span[s..i]);
    }

    /// <summary>"8", "08", "aug", "August", "Aug." → 8; else null.</summary>
    public static int? Month(string m)
    {
        var span = m.AsSpan().Trim().TrimEnd('.');
        if (span.IsEmpty) return null;
        if (char.IsAsciiDigit(span[0]))
            return int.TryParse(span, out int n) && n is >= 1 and <= 12 ? n : null;
        if (span.Length < 3) return null;
        for (int i = 0; i < 12; i++)
            if (span[..3].Equals(Months[i], StringComparison.OrdinalIgnoreCase)) return i + 1;
        return null;
    }
}
