using PaperNotes.Core.Features;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Inlay hints in a range, one line per hint: <c>line:col label</c>. The range is marked with <c>^^^</c>
/// (the whole first file when unmarked).</summary>
public class InlayHintTests
{
    private static void Check(string fixture, string expected, InlayHintOptions? options = null)
    {
        var ws = TestWorkspace.From(fixture);
        var range = ws.Ranges.Count > 0 ? ws.Ranges[0].Span : new TextSpan(0, ws.TextOf(ws.Cursor).Length);
        var context = ws.Context() with { Options = new FeatureOptions { InlayHints = options ?? InlayHintOptions.Default } };
        var hints = InlayHints.Find(context, range);
        Expect.Text(expected, hints.Count == 0 ? "(none)" : string.Join("\n", hints.Select(h => $"{ws.Position(ws.Cursor, h.Offset)} {h.Label}")));
    }

    private const string Library = """
        //- lib/refs.bib
        @article{tian2021, title={Understanding Self-supervised Learning Dynamics without Contrastive Pairs},
          author={Tian, Yuandong and Chen, Xinlei and Ganguli, Surya}, year=2021}
        @article{he2016, title={Deep Residual Learning}, author={He, Kaiming and Zhang, Xiangyu}, year=2016}
        @book{solo, title={Alone}, author={Knuth, Donald}}
        """;

    [Fact]
    public void Each_resolved_citation_gets_author_year_and_title_cut_at_a_word() => Check("""
        //- notes/a.md
        See [@tian2021; @he2016, p. 3] and @solo, not @unknown.
        """ + "\n" + Library, """
        0:14 Tian et al. 2021 · Understanding Self-supervised Learning…
        0:23 He & Zhang 2016 · Deep Residual Learning
        0:40 Knuth · Alone
        """);

    [Fact]
    public void Styles_choose_what_the_hint_shows() => Check("""
        //- notes/a.md
        @tian2021 says.
        """ + "\n" + Library, """
        0:9 Understanding Self-supervised Learning…
        """, new InlayHintOptions(CitationHintStyle.Title, 40));

    [Fact]
    public void Author_and_year_only() => Check("""
        //- notes/a.md
        @tian2021 says.
        """ + "\n" + Library, "0:9 Tian et al. 2021", new InlayHintOptions(CitationHintStyle.AuthorYear, 40));

    [Fact]
    public void Off_shows_nothing() => Check("""
        //- notes/a.md
        @tian2021 says.
        """ + "\n" + Library, "(none)", new InlayHintOptions(CitationHintStyle.Off, 40));

    [Fact]
    public void Only_citations_in_the_requested_range_get_hints() => Check("""
        //- notes/a.md
        @tian2021 first.
        @he2016 second.
        ^^^^^^^^^^^^^^^
        @solo third.
        """ + "\n" + Library, "1:7 He & Zhang 2016 · Deep Residual Learning");

    [Fact]
    public void Front_matter_references_resolve_like_libraries() => Check("""
        //- notes/a.md
        ---
        references:
        - id: local
          title: A Local Paper
          author: [{family: Doe, given: Jane}]
          issued: 2020
        ---
        [@local]
        """, "7:7 Doe 2020 · A Local Paper");

    [Fact]
    public void A_shorter_cap_keeps_fewer_words() => Check("""
        //- notes/a.md
        @tian2021 says.
        """ + "\n" + Library, "0:9 Tian et al. 2021 · Understanding Self-supervised…",
        new InlayHintOptions(CitationHintStyle.AuthorYearTitle, 30));

    [Fact]
    public void Once_the_search_index_is_built_hints_come_from_its_labels_decoding_no_paper()
    {
        var ws = TestWorkspace.From("""
            //- notes/a.md
            See [@tian2021; @he2016, p. 3] and @solo, not @unknown.
            """ + "\n" + Library);
        var context = ws.Context() with { Options = new FeatureOptions { InlayHints = InlayHintOptions.Default } };
        var range = new TextSpan(0, ws.TextOf(ws.Cursor).Length);
        string Hints() => string.Join("\n", InlayHints.Find(context, range).Select(h => h.Label));
        ws.Snapshot.Libraries.WarmUp();
        var fromLabels = Hints();
        var papers = (Core.Library.BibTeX.LazyBibPapers)ws.Snapshot.Libraries.Files[TestWorkspace.Abs("lib/refs.bib")].Papers;
        Assert.Equal(0, papers.CountKept());
        // The same hints as from the papers themselves (a set whose index is not built yet).
        var fresh = TestWorkspace.From("""
            //- notes/a.md
            See [@tian2021; @he2016, p. 3] and @solo, not @unknown.
            """ + "\n" + Library);
        var freshContext = fresh.Context() with { Options = new FeatureOptions { InlayHints = InlayHintOptions.Default } };
        Assert.Equal(string.Join("\n", InlayHints.Find(freshContext, range).Select(h => h.Label)), fromLabels);
        Assert.Equal(3, ((Core.Library.BibTeX.LazyBibPapers)fresh.Snapshot.Libraries.Files[TestWorkspace.Abs("lib/refs.bib")].Papers).CountKept());
    }
}
