using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Core.Tests.Library.Csl;

/// <summary>The CSL-JSON view of papers: BibTeX maps as pandoc 2.17 (<c>pandoc -f biblatex -t csljson</c>) maps
/// it, CSL items pass through. Expected outputs are pandoc's, compact (one line per item).</summary>
public class CslViewTests
{
    private static void Check(string path, string text, string expected)
    {
        var kind = LibraryFile.KindOf(path)!.Value;
        var items = CslView.Items(path, text, kind);
        var actual = string.Join("\n", items.Select(i => System.Text.Json.Nodes.JsonNode.Parse(i.ToJson())![0]!.ToJsonString(
            new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), actual);
    }

    [Fact]
    public void Article_maps_to_article_journal_with_issue_page_and_sentence_cased_title() => Check("refs.bib", """
        @string{jomch = {J.~Organomet. Chem.}}
        @Article{aksin, author = {Aks{\i}n, {\"O}zge and van der Berg, Jan and Smith, Jr., John and {World Health Organization}},
          title = {Effect of Immobilization on {Pd-N}-heterocyclic Carbenes in {Mizoroki-Heck} Reactions},
          journaltitle = jomch, date = 2006, volume = 691, number = 13, pages = {3027--3036}, doi = {10.1016/x_y}}
        """, """
        {"DOI":"10.1016/x_y","author":[{"family":"Aksın","given":"Özge"},{"dropping-particle":"van der","family":"Berg","given":"Jan"},{"family":"Smith","given":"John","suffix":"Jr."},{"literal":"World Health Organization"}],"container-title":"J.\u00A0Organomet. Chem.","id":"aksin","issue":"13","issued":{"date-parts":[[2006]]},"page":"3027-3036","title":"Effect of immobilization on Pd-N-heterocyclic carbenes in Mizoroki-Heck reactions","type":"article-journal","volume":"691"}
        """);

    [Fact]
    public void Title_markup_quotes_math_and_the_last_word_follow_pandoc() => Check("refs.bib", """
        @misc{a, title = {A {\em Foo Bar} \emph{Baz Quux}: `Quoted' {NASA} $x^2$ Study}, year = {n.d.}}
        @article{b, title = {Volume 14: Algorithms}, year = 2020, month = mar}
        """, """
        {"id":"a","issued":{"date-parts":[]},"title":"A <i>Foo Bar</i> <i>baz quux</i>: “Quoted” NASA x^2 study","title-short":"A <i>Foo Bar</i> <i>baz quux</i>","type":""}
        {"id":"b","issued":{"date-parts":[[2020,3]]},"title":"Volume 14: algorithms","title-short":"Volume 14","type":"article-journal"}
        """);

    [Fact]
    public void Book_with_subtitle_series_and_range_date_maps_like_pandoc() => Check("refs.bib", """
        @book{b, title={Deep Learning}, subtitle={Methods}, author={Goodfellow, I.J. and others}, date={2016-05-03/2017},
          edition={2}, volume=3, series={3}, location={Berlin and Paris}, publisher={Springer}, isbn={123}}
        @phdthesis{c, title={On Things}, school={MIT}, year={2001}, langid={german}}
        @inproceedings{p, title={Proc Paper}, booktitle={Proceedings of the Big Conference}, year=2020, number=7,
          series={LNCS}, eprint={1234.5678}, eprinttype={arXiv}}
        """, """
        {"ISBN":"123","author":[{"family":"Goodfellow","given":"I. J."},{"literal":"others"}],"collection-title":"3rd series","edition":"2","id":"b","issued":{"date-parts":[[2016,5,3],[2017]]},"publisher":"Springer","publisher-place":"Berlin; Paris","title":"Deep learning: Methods","title-short":"Deep learning","type":"book","volume":"3"}
        {"genre":"PhD thesis","id":"c","issued":{"date-parts":[[2001]]},"language":"de-DE","publisher":"MIT","title":"On Things","type":"thesis"}
        {"URL":"https://arxiv.org/abs/1234.5678","collection-number":"7","collection-title":"LNCS","container-title":"Proceedings of the big conference","id":"p","issued":{"date-parts":[[2020]]},"title":"Proc paper","type":"paper-conference"}
        """);

    [Fact]
    public void Csl_json_items_pass_through_with_their_own_variables() => Check("refs.csl.json", """
        [{"id": "x", "type": "article-journal", "title": "Keep <i>As</i> Is", "page": "1–2",
          "author": [{"family": "Doe", "given": "Jane", "non-dropping-particle": "de"}],
          "issued": {"date-parts": [[2020, 2]]}, "custom": {"code": "https://g"}}]
        """, """
        {"author":[{"family":"Doe","given":"Jane","non-dropping-particle":"de"}],"custom":{"code":"https://g"},"id":"x","issued":{"date-parts":[[2020,2]]},"page":"1–2","title":"Keep <i>As</i> Is","type":"article-journal"}
        """);

    [Fact]
    public void Csl_yaml_items_pass_through_with_their_own_variables() => Check("refs.csl.yaml", """
        references:
        - id: y
          type: paper-conference
          title: 'Attention Is All You Need'
          author:
          - family: Vaswani
            given: Ashish
          issued:
            date-parts: [[2017]]
          URL: https://arxiv.org/abs/1706.03762
        """, """
        {"URL":"https://arxiv.org/abs/1706.03762","author":[{"family":"Vaswani","given":"Ashish"}],"id":"y","issued":{"date-parts":[[2017]]},"title":"Attention Is All You Need","type":"paper-conference"}
        """);

    [Fact]
    public void Item_for_a_front_matter_paper_maps_from_the_decoded_paper()
    {
        var paper = new Paper { Key = "k", Type = "book", Title = "T", SourcePath = "notes/a.md", Authors = [new PersonName("Doe", "J.")] };
        Assert.Equal("""[{"author":[{"family":"Doe","given":"J."}],"id":"k","title":"T","type":"book"}]""",
            System.Text.Json.Nodes.JsonNode.Parse(CslView.FromPaper(paper).ToJson())!.ToJsonString());
    }

    [Fact]
    public void Commands_pandoc_does_not_know_are_dropped_with_their_arguments_leaving_the_spaces() => Check("refs.bib", """
        @misc{u, title = {Using {\MF} for Original \MF{} Design \foo{Bar} Baz \foo Bar, \foo {Bar} end \mbox{Box} \foo[opt]{W} x \foo 12pt z \foo{A}{B} {C} u \textendash{} \BibTeX\ and \TeX{} Done}, year = 2020}
        """, """
        {"id":"u","issued":{"date-parts":[[2020]]},"title":"Using  for original  design  baz bar,  end   x  z  C u  \u00A0and TeX done","type":""}
        """);

    [Fact]
    public void Names_split_and_decode_as_pandoc_reads_them() => Check("refs.bib", """
        @misc{n, author = {D{\'\i}az, Max and John (John F. R.) Collins and {\'E}douard Masterly and {van der Laan}, Mark J and family=Smith, given=John, given=Simon, sortingnamekeytemplatename=x and useprefix=false}, title = {Caf\'e}}
        """, """
        {"author":[{"family":"Dı́az","given":"Max"},{"dropping-particle":"(John","family":"F. R.) Collins","given":"John"},{"dropping-particle":"Édouard","family":"Masterly"},{"family":"Laan","given":"Mark J","non-dropping-particle":"van der"},{"family":"Smith","given":"John Simon"}],"id":"n","title":"Café","type":""}
        """);

    [Fact]
    public void Identifier_and_type_fields_keep_their_text_as_written() => Check("refs.bib", """
        @misc{r, title = {T}, url = {http://a.org/x\_y;
              http://b.org/%20z}, doi = {10.1/A B}, isbn = {0-1 (pbk.)}, type = {{PhD} Thesis}}
        """, """
        {"DOI":"10.1/A B","ISBN":"0-1 (pbk.)","URL":"http://a.org/x\\_y;\n      http://b.org/%20z","genre":"{PhD} Thesis","id":"r","title":"T","type":""}
        """);

    [Fact]
    public void A_percent_in_a_quoted_value_comments_out_the_rest_of_the_line() => Check("refs.bib", """
        @misc{q, title = "Fifty %50 of
        it", url = "http://c.org/#Later%20mergers
          x"}
        """, """
        {"URL":"http://c.org/#Later  x","id":"q","title":"Fifty it","type":""}
        """);

    [Fact]
    public void Spaces_after_a_command_small_caps_and_superscripts_follow_pandoc_and_citeproc() => Check("refs.bib", """
        @misc{s, title = {The status of {\VAX}\slash {\TeX} at {Brown}: the \textsc{Collage/Khoros} \textsuperscript{Ab} Link}}
        """, """
        {"id":"s","title":"The status of /TeX at Brown: The <span style=\"font-variant:small-caps;\">Collage/Khoros</span> <sup>Ab</sup> link","title-short":"The status of /TeX at Brown","type":""}
        """);

    [Fact]
    public void A_line_break_after_a_font_switch_is_a_space_and_bibstrings_resolve() => Check("refs.bib", """
        @misc{e, title = {Remarks on {\em
          Computers} and \bibstring{reviewof} {\tt
          classicthesis}}}
        """, """
        {"id":"e","title":"Remarks on  <i>Computers</i> and review of  classicthesis","type":""}
        """);

    [Fact]
    public void Sentence_case_steps_like_citeproc_over_spaces_dashes_and_link_text() => Check("refs.bib", """
        @misc{c, title = {What? - Participation: ; Accented \url{june.cs.Edu} Is}, series = {newseries}}
        """, """
        {"collection-title":"New series","id":"c","title":"What? - participation: ; accented june.cs.edu is","title-short":"What? - participation","type":""}
        """);

    [Fact]
    // Deliberate (README): pandoc 2.17 writes "<i>two</i>two", every nested inline again; we join the paragraphs as it
    // does but write each word once.
    public void A_value_of_several_paragraphs_keeps_each_word_once_where_pandoc_2_17_repeats_nested_text() => Check("refs.bib", """
        @misc{m, abstract = {One \emph{two} ``three'' `four' {Five}.

        Six {\em seven} \mkbibquote{eight} \url{http://x.y}.\par Nine}}
        """, """
        {"abstract":"One <i>two</i> “three” “four” Five.Six <i>seven</i> “eight” http://x.y.Nine","id":"m","type":""}
        """);

    [Fact]
    public void Short_title_keeps_a_space_before_the_colon_and_is_empty_when_only_dropped_commands_precede_it() => Check("refs.bib", """
        @misc{a, title = "{\LuaTeX}: {Halfway} to version 1"}
        @misc{b, title = "Une version de {\TeX} pour compatibles {PC} : les disquettes"}
        @misc{c, title = "Punk~: a study"}
        """, """
        {"id":"a","title":": Halfway to version 1","title-short":"","type":""}
        {"id":"b","title":"Une version de TeX pour compatibles PC : Les disquettes","title-short":"Une version de TeX pour compatibles PC ","type":""}
        {"id":"c","title":"Punk\u00A0: A study","title-short":"Punk\u00A0","type":""}
        """);

    [Fact]
    public void A_percent_in_latex_text_is_a_comment_and_a_starred_enquote_a_quotation() => Check("refs.bib", """
        @misc{p, title = {A 50% of which
          is useless}, note = {the string \enquote*{series} is}}
        """, """
        {"id":"p","note":"the string “series” is","title":"A 50 is useless","type":""}
        """);
}
