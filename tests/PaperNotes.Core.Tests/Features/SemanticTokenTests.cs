using PaperNotes.Core.Features;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Semantic tokens of the first file (in the <c>^^^</c> range when marked): <c>range kind resolved? "text"</c>.</summary>
public class SemanticTokenTests
{
    private static void Check(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        TextSpan? range = ws.Ranges.Count > 0 ? ws.Ranges[0].Span : null;
        var tokens = SemanticTokens.Find(ws.Context(ws.FirstPath), range);
        Expect.Text(expected, string.Join("\n", tokens.Select(t =>
            $"{ws.Location(ws.FirstPath, t.Span)} {t.Kind}{(t.Resolved ? "" : " unresolved")} \"{ws.Slice(ws.FirstPath, t.Span)}\"")));
    }

    [Fact]
    public void Citations_and_wiki_links_in_source_order_with_unresolved_marked() => Check("""
        //- notes/a.md
        [[b]] cites @known2020 and [@missing; @known2020] then [[nowhere]] and [[known2020]].
        //- notes/b.md
        # B
        //- lib/refs.bib
        @misc{known2020, title={K}}
        """, """
        notes/a.md:0:2-0:3 WikiLink "b"
        notes/a.md:0:12-0:22 Citation "@known2020"
        notes/a.md:0:28-0:36 Citation unresolved "@missing"
        notes/a.md:0:38-0:48 Citation "@known2020"
        notes/a.md:0:57-0:64 WikiLink unresolved "nowhere"
        notes/a.md:0:73-0:82 WikiLink "known2020"
        """);

    [Fact]
    public void A_range_gives_only_its_tokens() => Check("""
        //- notes/a.md
        @first2020 one
        @second2021 two
        ^^^^^^^^^^^^^^^
        @third2022 three
        """, """
        notes/a.md:1:0-1:11 Citation unresolved "@second2021"
        """);

    [Fact]
    public void Library_files_mark_their_keys() => Check("""
        //- lib/refs.bib
        @misc{one2020, title={A}}
        @misc{two2021, title={B}}
        """, """
        lib/refs.bib:0:6-0:13 LibraryKey "one2020"
        lib/refs.bib:1:6-1:13 LibraryKey "two2021"
        """);
}
