using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

public class BibParserTests
{
    private static void Check(string bib, string expected) =>
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), BibTestSupport.Dump(BibParser.Parse("refs.bib", bib)));

    [Fact]
    public void Entry_types_and_field_names_are_case_insensitive_and_lower_cased() => Check("""
        @ARTICLE{a, TITLE = {Upper}, Author = {Doe, J.}, YEAR = 2001, JOURNAL = {J}}
        @InProceedings{b, title = {Mixed}, booktitle = {Proc}}
        @customtype{c, title = "Custom"}
        """, """
        a article "Upper" | Doe, J. | 2001 | J
        b inproceedings "Mixed" |  |  | Proc
        c customtype "Custom" |  |  |
        """);

    [Fact]
    public void Paren_delimiters_work_for_entries_and_strings() => Check("""
        @string(pub = "ACM")
        @book(k1, title = {Paren (with) parens}, publisher = pub, year = 1999)
        """, """
        k1 book "Paren (with) parens" |  | 1999 |
        """);

    [Fact]
    public void String_macros_concatenation_and_bare_numbers_expand() => Check("""
        @String{ jomch = {J.~Organomet. Chem.} }
        @STRING{first = "Part one"}
        @article{x, title = first # { and } # "two", journal = jomch, year = 2006, month = aug}
        @article{y, title = {T}, year = {2006}, month = "March"}
        @article{z, title = {T}, year = "1990a", month = 11}
        """, """
        x article "Part one and two" |  | 2006-08 | J.~Organomet. Chem.
        y article "T" |  | 2006-03 |
        z article "T" |  | 1990-11 |
        """);

    [Fact]
    public void Month_macros_expand_to_english_names_in_text()
    {
        var p = BibParser.Parse("m.bib", "@misc{k, note = jan # { } # dec, year = 2001, month = sep}").Papers.Single();
        Assert.Equal("January December", p.Fields["note"]);
        Assert.Equal(9, p.Issued?.Month);
    }

    [Fact]
    public void Nested_braces_and_quotes_inside_braces_are_kept_as_value() => Check("""
        @misc{n, title = {Outer {Inner {Deep}} "quoted" end}, author = "Doe, {J}ohn {"}"}
        """, """
        n misc "Outer Inner Deep "quoted" end" | Doe, John " |  |
        """);

    [Fact]
    public void Comments_preamble_and_text_between_entries_are_ignored() => Check("""
        This is free text with an email me@example.org and 100% junk.
        @comment{ @article{commented, title = {No}} }
        @preamble{ "\newcommand{\noopsort}[1]{}" # "x" }
        @Comment this line is a comment too
        @misc{kept, title = {Yes}}
        """, """
        kept misc "Yes" |  |  |
        """);

    [Fact]
    public void Biblatex_date_forms_and_year_fallback() => Check("""
        @misc{d1, date = {2013-07-29}}
        @misc{d2, date = {2008-12}}
        @misc{d3, date = 1999}
        @misc{d4, date = {2004-05-01/2005-02}, year = 1900}
        @misc{d5, year = {in press}}
        @misc{d6, date = {2020-05}, year = 2019, month = jan}
        @misc{d7, date = {-0044}}
        """, """
        d1 misc "" |  | 2013-07-29 |
        d2 misc "" |  | 2008-12 |
        d3 misc "" |  | 1999 |
        d4 misc "" |  | 2004-05-01 |
        d5 misc "" |  | 'in press' |
        d6 misc "" |  | 2020-05 |
        d7 misc "" |  | -44 |
        """);

    [Fact]
    public void Title_joins_subtitle_and_titleaddon_and_container_prefers_journaltitle() => Check("""
        @article{t, title = {Main}, subtitle = {Sub}, titleaddon = {Addon}, journaltitle = {JT}, journalsubtitle = {JS}, journal = {Old}}
        @incollection{u, title = {Chapter}, booktitle = {Book}, booksubtitle = {Sub}}
        """, """
        t article "Main: Sub. Addon" |  |  | JT: JS
        u incollection "Chapter" |  |  | Book: Sub
        """);

    [Fact]
    public void Maps_publisher_abstract_doi_url_arxiv_and_keeps_other_fields()
    {
        var p = BibParser.Parse("f.bib", """
            @article{k, title={T}, publisher = {Springer--Verlag}, abstract = {We show
              that $\alpha$ works.},
              doi = {10.1000/x\_y--z}, url = {https://example.org/~a}, eprint = {2101.00001}, ArchivePrefix = {arXiv},
              volume = 12, pages = {3--9}, Note = {See {\"U}ber}, keywords = {a, b}}
            """).Papers.Single();
        Assert.Equal("Springer–Verlag", p.Publisher);
        Assert.Equal("We show that α works.", p.Abstract);
        Assert.Equal("10.1000/x_y--z", p.Doi);
        Assert.Equal("https://example.org/~a", p.Url);
        Assert.Equal("2101.00001", p.Arxiv);
        Assert.Equal("archiveprefix=arXiv; keywords=a, b; note=See Über; pages=3–9; volume=12",
            string.Join("; ", p.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")));
    }

    [Theory]
    [InlineData("eprinttype = {ArXiv}", "1234.5678")]
    [InlineData("archivePrefix = \"arxiv\"", "1234.5678")]
    [InlineData("eprinttype = {jstor}", null)]
    [InlineData("", null)]
    public void Arxiv_comes_from_eprint_only_when_the_archive_is_arxiv(string extra, string? expected)
    {
        var p = BibParser.Parse("a.bib", $"@misc{{k, eprint = {{1234.5678}}, {extra}}}").Papers.Single();
        Assert.Equal(expected, p.Arxiv);
    }

    [Fact]
    public void Key_span_and_entry_span_are_exact()
    {
        var text = "junk\r\n@article{ smith2020 ,\r\n  title = {X}\r\n}\r\n@book(b2, title={Y})";
        var file = BibParser.Parse("s.bib", text);
        var a = file.Papers[0];
        Assert.Equal("smith2020", text.Substring(a.KeySpan.Start, a.KeySpan.Length));
        Assert.Equal("@article{ smith2020 ,\r\n  title = {X}\r\n}", text.Substring(a.EntrySpan.Start, a.EntrySpan.Length));
        var b = file.Papers[1];
        Assert.Equal("b2", text.Substring(b.KeySpan.Start, b.KeySpan.Length));
        Assert.Equal("@book(b2, title={Y})", text.Substring(b.EntrySpan.Start, b.EntrySpan.Length));
        Assert.Equal("s.bib", a.SourcePath);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void Crlf_and_unicode_keys_and_values_parse() => Check(
        "@article{müller_2020,\r\n  author = {Müller, Jürgen and 李, 四},\r\n  title = {Über\r\n   alles — 东西},\r\n  year = 2020\r\n}\r\n",
        """
        müller_2020 article "Über alles — 东西" | Müller, Jürgen; 李, 四 | 2020 |
        """);

    [Fact]
    public void Crossref_child_keeps_its_fields_and_inherits_booktitle_from_parent_title() => Check("""
        @inproceedings{child, author = {Kid, A.}, title = {Paper}, crossref = {conf}, pages = {1--2}}
        @proceedings{conf, title = {Proceedings of Conf}, editor = {Chair, B.}, year = 2010, publisher = {Pub}}
        @inbook{chap, title = {Chapter}, crossref = {mv}}
        @mvbook{mv, title = {Collected Works}, author = {Writer, W.}, date = 1900}
        @incollection{orphan, title = {Alone}, crossref = {nowhere}}
        @article{art, title = {A}, crossref = {per}}
        @periodical{per, title = {The Periodical}, date = {2001-02}}
        """, """
        child inproceedings "Paper" | Kid, A. (eds: Chair, B.) | 2010 | Proceedings of Conf
        conf proceedings "Proceedings of Conf" |  (eds: Chair, B.) | 2010 |
        chap inbook "Chapter" | Writer, W. | 1900 | Collected Works
        mv mvbook "Collected Works" | Writer, W. | 1900 |
        orphan incollection "Alone" |  |  |
        art article "A" |  | 2001-02 | The Periodical
        per periodical "The Periodical" |  | 2001-02 |
        """);

    [Fact]
    public void Crossref_chains_xdata_and_cycles_resolve_without_looping()
    {
        var file = BibParser.Parse("x.bib", """
            @xdata{pubinfo, publisher = {Shared Pub}, location = {Berlin}}
            @book{b, title = {B}, xdata = {pubinfo}, crossref = {a}}
            @book{a, title = {A}, crossref = {b}, date = 1999}
            @incollection{c, title = {C}, crossref = {b}}
            """);
        var b = file.Papers.Single(p => p.Key == "b");
        Assert.Equal("Shared Pub", b.Publisher);
        Assert.Equal("Berlin", b.Fields["location"]);
        Assert.Equal(1999, b.Issued?.Year);
        var c = file.Papers.Single(p => p.Key == "c");
        Assert.Equal("B", c.ContainerTitle);
        Assert.Equal("Shared Pub", c.Publisher);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void Crossref_is_case_insensitive_and_not_an_error_when_unknown()
    {
        var file = BibParser.Parse("x.bib", "@inproceedings{k, title={T}, crossref={CONF}} @proceedings{conf, title={P}} @misc{m, crossref = {gone}}");
        Assert.Equal("P", file.Papers[0].ContainerTitle);
        Assert.Equal("gone", file.Papers[2].Fields["crossref"]);
        Assert.Empty(file.Errors);
    }
}
