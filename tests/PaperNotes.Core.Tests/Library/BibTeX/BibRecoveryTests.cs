using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>Broken entries: an error at the exact offset, the other entries still load.
/// <c>^</c> under a line marks where the error must point (not part of the input).</summary>
public class BibRecoveryTests
{
    /// <summary>Lines of only spaces and '^' mark the expected error start on the line above; they are dropped.</summary>
    private static void Check(string fixture, string expected)
    {
        var lines = fixture.ReplaceLineEndings("\n").Split('\n');
        var text = new System.Text.StringBuilder();
        var marks = new List<int>();
        foreach (var line in lines)
        {
            if (line.Trim().Length > 0 && line.Trim().All(c => c == '^'))
            {
                marks.Add(line.IndexOf('^'));
                continue;
            }
            marks.Add(-1);
            text.Append(line).Append('\n');
        }
        var source = text.ToString();
        var expectedOffsets = new List<int>();
        int offset = 0, prevStart = 0;
        foreach (var (line, mark) in lines.Zip(marks))
        {
            if (mark >= 0) { expectedOffsets.Add(prevStart + mark); continue; }
            prevStart = offset;
            offset += line.Length + 1;
        }
        var file = BibParser.Parse("r.bib", source);
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), BibTestSupport.Dump(file));
        Assert.Equal(expectedOffsets, file.Errors.Select(e => e.Span.Start).ToList());
    }

    [Fact]
    public void Missing_equals_reports_field_name_and_recovers_at_next_entry() => Check("""
        @article{a, title {Broken}, year = 2000}
                          ^
        @article{b, title = {Fine}}
        """, """
        a article "" |  |  |
        b article "Fine" |  |  |
        error@18..19 expected '=' after field name 'title'
        """);

    [Fact]
    public void Unclosed_brace_recovers_at_next_line_initial_entry() => Check("""
        @misc{a, author = {Doe, J.}, title = {Open {brace,
                                             ^
          year = 2001
        }
        @misc{b, title = {Still here}}
          @misc{c, title = {Indented start counts too}}
        """, """
        a misc "" | Doe, J. |  |
        b misc "Still here" |  |  |
        c misc "Indented start counts too" |  |  |
        error@37..38 unterminated value for field 'title': missing '}'
        """);

    [Fact]
    public void Unclosed_brace_that_eats_the_entry_end_is_reported_after_it() => Check("""
        @misc{a, title = {Open brace,
          year = 2001
        }
         ^
        @misc{b, title = {Still here}}
        """, """
        a misc "Open brace, year = 2001" |  |  |
        b misc "Still here" |  |  |
        error@45..45 unclosed entry: expected '}'
        """);

    [Fact]
    public void Unterminated_quote_stops_at_line_initial_entry() => Check("""
        @misc{a, title = "Open quote,
                         ^
        @misc{b, title = "Fine"}
        """, """
        a misc "" |  |  |
        b misc "Fine" |  |  |
        error@17..18 unterminated value for field 'title': missing '"'
        """);

    [Fact]
    public void Unclosed_entry_is_kept_and_next_entry_loads() => Check("""
        @misc{a, title = {First}
                                ^
        @misc{b, title = {Second}}
        @misc{c, title = {Last}
                               ^
        """, """
        a misc "First" |  |  |
        b misc "Second" |  |  |
        c misc "Last" |  |  |
        error@24..24 unclosed entry: expected '}'
        error@75..75 unclosed entry: expected '}'
        """);

    [Fact]
    public void Missing_key_drops_only_that_entry() => Check("""
        @misc{title = {No key}}
              ^
        @misc{, title = {Also no key}}
              ^
        @misc{k, title = {Keyed}}
        """, """
        k misc "Keyed" |  |  |
        error@6..6 missing entry key
        error@30..30 missing entry key
        """);

    [Fact]
    public void Missing_delimiter_after_type_is_reported() => Check("""
        @article oops
                 ^
        @misc{k, title = {Fine}}
        """, """
        k misc "Fine" |  |  |
        error@9..10 expected '{' or '(' after '@article'
        """);

    [Fact]
    public void Missing_comma_between_fields_is_reported_and_parsing_goes_on() => Check("""
        @misc{k, title = {A} year = 2001}
                             ^
        """, """
        k misc "A" |  | 2001 |
        error@21..22 expected ',' or '}' after field 'title'
        """);

    [Fact]
    public void Missing_value_reports_the_field() => Check("""
        @misc{k, title = , year = 2001}
                         ^
        @misc{m, title = {M}}
        """, """
        k misc "" |  |  |
        m misc "M" |  |  |
        error@17..18 expected a value for field 'title'
        """);

    [Fact]
    public void Duplicate_field_keeps_the_first() => Check("""
        @misc{k, title = {First}, TITLE = {Second}}
                                  ^
        """, """
        k misc "First" |  |  |
        error@26..31 duplicate field 'title': the first one is used
        """);

    [Fact]
    public void Junk_in_entry_recovers_at_next_entry() => Check("""
        @misc{k, title = {A}, ) junk = {x}}
                              ^
        @misc{m, title = {M}}
        """, """
        k misc "A" |  |  |
        m misc "M" |  |  |
        error@22..23 unexpected ')' in entry: expected a field name
        """);
}
