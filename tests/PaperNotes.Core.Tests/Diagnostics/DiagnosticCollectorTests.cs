namespace PaperNotes.Core.Tests.Diagnostics;

/// <summary>Every check, through <see cref="Core.Diagnostics.DiagnosticCollector.ForWorkspace"/>, rendered as
/// <c>path:line:col severity code: message</c> (0-based positions).</summary>
public class DiagnosticCollectorTests
{
    private static void Check(string fixture, string expected) =>
        Expect.Text(expected, TestWorkspace.From(fixture).RenderDiagnostics());

    private const string Library = """
        //- lib/refs.bib
        @article{vaswani2017attention, title={Attention Is All You Need}, year={2017}}
        @article{he2016deep, title={Deep Residual Learning}, year={2016}}
        """;

    [Fact]
    public void Known_citations_in_every_form_give_nothing() => Check(Library + """

        //- notes/a.md
        @vaswani2017attention and [@he2016deep, p. 3; -@he2016deep] and [-@vaswani2017attention] and @{he2016deep}.
        """, "");

    [Fact]
    public void Unknown_citation_suggests_close_keys() => Check(Library + """

        //- notes/a.md
        See [@vaswani2017atention] and @he2016dep.
        """, """
        notes/a.md:0:6 error unknown-citation: unknown citation key 'vaswani2017atention'; did you mean 'vaswani2017attention'?
        notes/a.md:0:32 error unknown-citation: unknown citation key 'he2016dep'; did you mean 'he2016deep'?
        """);

    [Fact]
    public void Unknown_citation_without_close_keys_has_no_suggestion() => Check(Library + """

        //- notes/a.md
        See [@zzzqqq1999].
        """, """
        notes/a.md:0:6 error unknown-citation: unknown citation key 'zzzqqq1999'
        """);

    [Fact]
    public void Citations_in_code_urls_and_emails_are_not_checked() => Check(Library + """

        //- notes/a.md
        Mail ada@nowhere.org, code `[@nokey]`, link <https://x.org/@nokey>, https://y.org/@nokey.

        ```
        [@nokey2]
        ```
        """, "");

    [Fact]
    public void Front_matter_references_resolve_only_in_their_note() => Check(Library + """

        //- notes/a.md
        ---
        references:
        - id: local2020
          title: Only Here
        ---
        Cites [@local2020].
        //- notes/b.md
        Cites [@local2020] too.
        """, """
        notes/b.md:0:8 error unknown-citation: unknown citation key 'local2020'
        """);

    [Fact]
    public void Unknown_citation_suggests_the_notes_own_references_first() => Check(Library + """

        //- notes/a.md
        ---
        references:
        - id: local2020
          title: Only Here
        ---
        Cites [@lokal2020].
        """, """
        notes/a.md:5:8 error unknown-citation: unknown citation key 'lokal2020'; did you mean 'local2020'?
        """);

    [Fact]
    public void Wiki_links_to_a_name_a_relative_path_a_root_path_and_a_citekey_resolve() => Check(Library + """

        //- notes/a.md
        [[b]] [[B]] [[sub/c]] [[./sub/c.md]] [[notes/sub/c]] [[he2016deep]] [[b#Section]] [[b|label]]
        //- notes/b.md
        # B
        //- notes/sub/c.md
        Back to [[../a]].
        //- notes/papers/resnet.md
        ---
        citekey: he2016deep
        ---
        """, "");

    [Fact]
    public void Broken_wiki_links_are_errors_and_library_keys_without_note_say_so() => Check(Library + """

        //- notes/a.md
        [[nowhere]] and [[vaswani2017attention|the paper]] and [[sub/missing]]
        """, """
        notes/a.md:0:2 error broken-link: broken link: no note named 'nowhere'
        notes/a.md:0:18 error broken-link: no note for '[[vaswani2017attention]]': 'vaswani2017attention' is a library key without a paper note
        notes/a.md:0:57 error broken-link: broken link: no note named 'sub/missing'
        """);

    [Fact]
    public void Duplicate_keys_warn_on_every_entry_the_first_in_path_order_wins_and_citations_are_fine() => Check("""
        //- lib/b.bib
        @article{dup, title={Second}}
        //- lib/a.bib
        @article{other, title={Other}}
        @article{dup, title={First}}
        //- notes/n.md
        [@dup]
        """, """
        lib/a.bib:1:9 warning duplicate-key: duplicate key 'dup': also defined at lib/b.bib:1; this definition is used
          related lib/b.bib:0:9-0:12 'dup' also defined here
        lib/b.bib:0:9 warning duplicate-key: duplicate key 'dup': already defined at lib/a.bib:2, which is used
          related lib/a.bib:1:9-1:12 'dup' also defined here
        """);

    [Fact]
    public void Duplicate_key_in_a_csl_file_and_a_bib_file() => Check("""
        //- lib/a.bib
        @article{dup, title={First}}
        //- lib/b.csl.json
        [{"id": "dup", "title": "Second"}]
        """, """
        lib/a.bib:0:9 warning duplicate-key: duplicate key 'dup': also defined at lib/b.csl.json:1; this definition is used
          related lib/b.csl.json:0:9-0:12 'dup' also defined here
        lib/b.csl.json:0:9 warning duplicate-key: duplicate key 'dup': already defined at lib/a.bib:1, which is used
          related lib/a.bib:0:9-0:12 'dup' also defined here
        """);

    [Fact]
    public void Library_syntax_error_is_reported_where_it_is() => Check("""
        //- lib/a.bib
        @article{good, title={Fine}}
        @article{broken, title={Unclosed
        @article{after, title={Still read}}
        //- notes/n.md
        [@good] [@after]
        """, """
        lib/a.bib:1:23 error library-syntax: unterminated value for field 'title': missing '}'
        """);

    [Fact]
    public void Missing_bibliography_is_an_error_on_its_front_matter_entry_and_existing_ones_load() => Check("""
        //- notes/n.md
        ---
        bibliography:
        - ../lib/here.json
        - missing.bib
        ---
        [@fromjson]
        //- lib/here.json
        [{"id": "fromjson", "title": "From a plain JSON bibliography"}]
        """, """
        notes/n.md:3:2 error missing-bibliography: bibliography file 'missing.bib' not found
        """);

    [Fact]
    public void Front_matter_that_is_not_yaml_is_an_error_at_the_yaml_position() => Check("""
        //- notes/n.md
        ---
        title: [unclosed
        ---
        Body.
        """, """
        notes/n.md:2:0 error front-matter: front matter is not valid YAML: While parsing a flow sequence, did not find expected ',' or ']'.
        """);

    [Fact]
    public void Front_matter_with_a_duplicate_yaml_key_is_an_error_at_the_second_key() => Check("""
        //- notes/n.md
        ---
        title: One
        title: Two
        ---
        Body.
        """, """
        notes/n.md:2:0 error front-matter: front matter is not valid YAML: Duplicate key title
        """);

    [Fact]
    public void A_bad_front_matter_references_item_is_a_front_matter_error() => Check("""
        //- notes/n.md
        ---
        references:
        - title: No id
        ---
        Body.
        """, """
        notes/n.md:2:2 error front-matter: CSL item has no "id"; it is skipped.
        """);
}

/// <summary>Diagnostics and semantic tokens check every citation of every note against the library's keys, never its
/// papers: a lazily decoded library keeps no paper a pass decoded, so reading one per citation would decode (and
/// decompress) most of the library again on every folder's diagnosis.</summary>
public class DiagnosticsReadKeysTests
{
    [Fact]
    public void Checking_every_note_and_its_tokens_decodes_no_paper()
    {
        var workspace = TestWorkspace.From("""
            //- lib/refs.bib
            @article{vaswani2017attention, title={Attention Is All You Need}, author={A, B, C, D}, year={2017}}
            @article{he2016deep, title={Deep Residual Learning}, year={2016}}
            @article{he2016deep, title={Deep Residual Learning, again}, year={2016}}

            //- notes/a.md
            [[vaswani2017attention]] @vaswani2017attention and [@he2016deep; @unknown2020] and [[nowhere]].
            """);
        var text = workspace.RenderDiagnostics();
        Assert.Contains("unknown-citation", text);
        Assert.Contains("too many commas", text);
        _ = Core.Features.SemanticTokens.Find(workspace.Context(TestWorkspace.Abs("notes/a.md")));
        var papers = (Core.Library.BibTeX.LazyBibPapers)workspace.Snapshot.Libraries.Files[TestWorkspace.Abs("lib/refs.bib")].Papers;
        Assert.Equal(2, papers.CountKept()); // the two definitions of the duplicate key, which its finding names
    }
}
