using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>CSL items written as BibLaTeX: the expected entry, and (for items read from BibTeX, which are in the
/// reader's normal form) reading it back gives the same CSL item.</summary>
public class BibWriterTests
{
    private static void Check(string path, string source, string expected)
    {
        var items = CslView.Items(path, source, LibraryFile.KindOf(path)!.Value);
        var written = BibWriter.Write(items);
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), written.Trim());
        if (!path.EndsWith(".bib", StringComparison.Ordinal)) return;
        var back = CslView.Items("out.bib", written, LibraryKind.BibTeX);
        Assert.Equal(string.Join("\n", items.Where(i => BibWriter.IsKey(i.Id)).Select(i => i.ToJson())), string.Join("\n", back.Select(i => i.ToJson())));
    }

    [Fact]
    public void Article_is_an_article_with_journaltitle_an_edtf_date_and_the_words_sentence_case_would_change_braced() => Check("refs.bib", """
        @article{aksin, author = {Aks{\i}n, {\"O}zge and van der Berg, Jan and Smith, Jr., John and {World Health Organization}},
          title = {Effect of Immobilization on {Pd-N}-heterocyclic Carbenes: {NASA} in {Mizoroki-Heck} Reactions},
          journaltitle = {J. Organomet. Chem.}, date = {2006-03/2007}, volume = 691, number = 13, pages = {3027--3036}, doi = {10.1016/x_y}}
        """, """
        @article{aksin,
          author = {Aksın, Özge and van der Berg, Jan and Smith, Jr., John and {World Health Organization}},
          title = {Effect of immobilization on {Pd}-{N}-heterocyclic carbenes: NASA in {Mizoroki}-{Heck} reactions},
          journaltitle = {J. Organomet. Chem.},
          date = {2006-03/2007},
          volume = {691},
          number = {13},
          pages = {3027-3036},
          doi = {10.1016/x_y},
        }
        """);

    [Fact]
    public void Special_characters_are_escaped_and_a_list_field_is_joined_with_and() => Check("refs.bib", """
        @inproceedings{p, title={Proc Paper 100\% {\&} $x_1^2$ \{a\} \textbackslash{} --- done -{}- \~{}}, booktitle={Proceedings of the Big Conference},
          year=2020, number=7, series={LNCS}, author={de la Fuente, Ana and Ibn Sina and others}, location={Berlin and {Taylor and Francis}}}
        """, """
        @inproceedings{p,
          author = {de la Fuente, Ana and Sina, Ibn and others},
          title = {Proc paper 100\% \& x\_1{\textasciicircum}2 \{a\} {\textbackslash} — done -{}- {\textasciitilde}},
          booktitle = {Proceedings of the big conference},
          series = {LNCS},
          date = {2020},
          number = {7},
          address = {Berlin and {Taylor and Francis}},
        }
        """);

    [Fact]
    public void Thesis_keeps_its_language_genre_key_and_institution_and_is_not_sentence_cased() => Check("refs.bib", """
        @phdthesis{t, title={Über Dinge: eine Studie}, author={Müller, Jörg}, school={TU München}, date={1999}, langid={german}}
        """, """
        @thesis{t,
          author = {Müller, Jörg},
          title = {Über Dinge: eine Studie},
          date = {1999},
          institution = {TU München},
          type = {phdthesis},
          langid = {german},
        }
        """);

    [Fact]
    public void Names_with_prefixes_suffixes_and_capitalised_particles_read_back() => Check("refs.bib", """
        @book{b, title = {A \emph{Deep} Dive}, editor={Doe, J.G.}, date={2001~}, options={useprefix=true}, author={von Neumann, John}}
        @book{c, title = {T}, author={Andrea de Leeuw van Weenen}}
        @book{d, title = {T}, author={{de la Fuente}, Pia and TeX Users Group,}}
        """, """
        @book{b,
          options = {useprefix=true},
          author = {von Neumann, John},
          editor = {Doe, J. G.},
          title = {A \emph{deep} dive},
          date = {2001~},
        }

        @book{c,
          author = {de Leeuw van Weenen, Andrea},
          title = {T},
        }

        @book{d,
          options = {useprefix=true},
          author = {de la Fuente, Pia and TeX Users Group,},
          title = {T},
        }
        """);

    [Fact]
    public void Title_short_is_written_only_when_the_title_does_not_give_it() => Check("refs.bib", """
        @article{a, title={Colon: Here}, shorttitle={Other}}
        @article{b, title={{Colon: Protected}}}
        @article{c, title={Colon: Derived}}
        """, """
        @article{a,
          title = {Colon: here},
          shorttitle = {Other},
        }

        @article{b,
          title = {Colon{:} {Protected}},
        }

        @article{c,
          title = {Colon: derived},
        }
        """);

    [Fact]
    public void Csl_json_item_maps_to_the_inverse_of_pandocs_types_and_fields() => Check("refs.csl.json", """
        [{"id": "x", "type": "paper-conference", "title": "Keep <i>As</i> Is", "container-title": "NeurIPS", "page": "1–2",
          "author": [{"family": "Doe", "given": "Jane", "non-dropping-particle": "de"}], "issued": {"date-parts": [[2020, 2]]}},
         {"id": "bad key", "type": "book", "title": "T"}]
        """, """
        @inproceedings{x,
          options = {useprefix=true},
          author = {de Doe, Jane},
          title = {Keep \emph{{As}} {Is}},
          booktitle = {NeurIPS},
          date = {2020-02},
          pages = {1–2},
        }
        """); // reading this back gives page "1-2": the reader writes ranges with '-', as pandoc does

    [Theory]
    [InlineData("doe2020", true)]
    [InlineData("a:b/c-d_e.f+g", true)]
    [InlineData("bad key", false)]
    [InlineData("a,b", false)]
    [InlineData("a{b", false)]
    [InlineData("", false)]
    public void Only_keys_the_reader_reads_back_whole_are_keys(string key, bool expected) => Assert.Equal(expected, BibWriter.IsKey(key));
}
