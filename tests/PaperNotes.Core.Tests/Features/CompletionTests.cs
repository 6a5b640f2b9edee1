using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>
/// Completion at the cursor, rendered as <c>replace RANGE "typed"</c> then one line per item
/// (<c>label | description | detail | insert</c>); "(none)" when there is no completion. Every item's
/// filter text must start with what was typed, or editors would filter it away.
/// </summary>
public class CompletionTests
{
    private static void Check(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var text = ws.TextOf(ws.Cursor);
        var result = Completion.Find(ws.Context(), text, ws.CursorOffset);
        if (result is null)
        {
            Expect.Text(expected, "(none)");
            return;
        }
        var typed = text[result.Replace.Start..ws.CursorOffset];
        foreach (var item in result.Items)
            Assert.StartsWith(typed, item.FilterText, StringComparison.Ordinal);
        var lines = new List<string> { $"replace {ws.Location(ws.Cursor, result.Replace)} \"{typed}\"" };
        lines.AddRange(result.Items.Select(i => $"{i.Label} | {i.Description} | {i.Detail} | {i.InsertText}"));
        Expect.Text(expected, string.Join("\n", lines));
    }

    private const string Library = """
        //- lib/refs.bib
        @article{chen2020simple, author={Chen, Ting and Hinton, Geoffrey},
          title={A Simple Framework for Contrastive Learning of Visual Representations}, year={2020}}
        @article{vaswani2017, author={Vaswani, Ashish}, title={Attention Is All You Need}, year={2017}}
        @article{grill2020, author={Grill, Jean-Bastien}, title={Bootstrap Your Own Latent}, year={2020}}
        //- lib/more.csl.yaml
        references:
        - id: understanding2021
          title: Understanding self-supervised Learning Dynamics without Contrastive Pairs
          issued: 2021
        """;

    [Fact]
    public void Completion_after_at_with_a_title_word_offers_papers_whose_title_has_it() => Check(Library + """

        //- notes/a.md
        As [@contrastive$0] shows.
        """, """
        replace notes/a.md:0:5-0:16 "contrastive"
        understanding2021 | Understanding self-supervised Learning Dynamics without Contrastive Pairs | 2021 | understanding2021
        chen2020simple | A Simple Framework for Contrastive Learning of Visual Representations | Chen & Hinton · 2020 | chen2020simple
        """);

    [Fact]
    public void Completion_replaces_the_whole_fragment_around_the_cursor() => Check(Library + """

        //- notes/a.md
        As @vas$0wan shows.
        """, """
        replace notes/a.md:0:4-0:10 "vas"
        vaswani2017 | Attention Is All You Need | Vaswani · 2017 | vaswani2017
        """);

    [Fact]
    public void Completion_on_a_bare_at_offers_the_newest_papers() => Check(Library + """

        //- notes/a.md
        As [@$0] shows.
        """, """
        replace notes/a.md:0:5-0:5 ""
        understanding2021 | Understanding self-supervised Learning Dynamics without Contrastive Pairs | 2021 | understanding2021
        chen2020simple | A Simple Framework for Contrastive Learning of Visual Representations | Chen & Hinton · 2020 | chen2020simple
        grill2020 | Bootstrap Your Own Latent | Grill · 2020 | grill2020
        vaswani2017 | Attention Is All You Need | Vaswani · 2017 | vaswani2017
        """);

    [Fact]
    public void Completion_by_author_name() => Check(Library + """

        //- notes/a.md
        @hint$0
        """, """
        replace notes/a.md:0:1-0:5 "hint"
        chen2020simple | A Simple Framework for Contrastive Learning of Visual Representations | Chen & Hinton · 2020 | chen2020simple
        """);

    [Fact]
    public void Completion_inside_braces_replaces_inside_them() => Check(Library + """

        //- notes/a.md
        @{gri$0}
        """, """
        replace notes/a.md:0:2-0:5 "gri"
        grill2020 | Bootstrap Your Own Latent | Grill · 2020 | grill2020
        """);

    [Fact]
    public void Completion_offers_the_notes_own_references_first() => Check(Library + """

        //- notes/a.md
        ---
        references:
        - id: simsiam2021
          title: Exploring Simple Siamese Representation Learning
        ---
        [@simple$0]
        """, """
        replace notes/a.md:5:2-5:8 "simple"
        simsiam2021 | Exploring Simple Siamese Representation Learning |  | simsiam2021
        chen2020simple | A Simple Framework for Contrastive Learning of Visual Representations | Chen & Hinton · 2020 | chen2020simple
        """);

    [Fact]
    public void Completion_in_an_inline_code_span_is_none() => Check(Library + """

        //- notes/a.md
        Write `[@vas$0]` for a citation.
        """, "(none)");

    [Fact]
    public void Completion_in_a_fenced_code_block_is_none() => Check(Library + """

        //- notes/a.md
        ```
        [@vas$0]
        ```
        """, "(none)");

    [Fact]
    public void Completion_in_front_matter_is_none() => Check(Library + """

        //- notes/a.md
        ---
        title: mail @vas$0
        ---
        """, "(none)");

    [Fact]
    public void Completion_after_an_email_at_is_none() => Check(Library + """

        //- notes/a.md
        Mail ada@vas$0
        """, "(none)");

    [Fact]
    public void Completion_on_plain_text_is_none() => Check(Library + """

        //- notes/a.md
        Plain vas$0
        """, "(none)");

    [Fact]
    public void Completion_after_double_bracket_offers_paper_notes_then_notes() => Check(Library + """

        //- notes/a.md
        See [[$0
        //- notes/zeta.md
        # Zeta Notes
        //- notes/papers/simclr.md
        ---
        citekey: chen2020simple
        title: SimCLR notes
        ---
        //- notes/alpha.md
        Alpha.
        """, """
        replace notes/a.md:0:6-0:6 ""
        chen2020simple | SimCLR notes | paper note | chen2020simple
        alpha | alpha | notes/alpha.md | alpha
        simclr | SimCLR notes | notes/papers/simclr.md | simclr
        zeta | Zeta Notes | notes/zeta.md | zeta
        """);

    [Fact]
    public void Wiki_link_completion_filters_by_name_and_title_and_replaces_up_to_the_bracket() => Check(Library + """

        //- notes/a.md
        See [[ze$0ta]] and more.
        //- notes/zeta.md
        # Zeta Notes
        //- notes/other.md
        # Notes on zebras
        """, """
        replace notes/a.md:0:6-0:10 "ze"
        other | Notes on zebras | notes/other.md | other
        zeta | Zeta Notes | notes/zeta.md | zeta
        """);

    [Fact]
    public void Wiki_link_completion_matches_inside_a_citekey() => Check(Library + """

        //- notes/a.md
        [[simple$0
        //- notes/papers/simclr.md
        ---
        citekey: chen2020simple
        ---
        """, """
        replace notes/a.md:0:2-0:8 "simple"
        chen2020simple | simclr | paper note | chen2020simple
        """);

    [Fact]
    public void Wiki_link_completion_after_a_closed_link_is_none() => Check(Library + """

        //- notes/a.md
        See [[zeta]] and$0
        //- notes/zeta.md
        # Zeta
        """, "(none)");
}
