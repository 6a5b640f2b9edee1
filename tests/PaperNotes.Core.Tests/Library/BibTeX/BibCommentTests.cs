using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

/// <summary>What lies between entries: '%' comments and @preamble are ignored, as biber and pandoc do.</summary>
public class BibCommentTests
{
    [Fact]
    public void Percent_comments_between_entries_hide_commented_out_entries()
    {
        var file = BibParser.Parse("/w/a.bib", """
            % Should skip this one
            %@BOOK{L27,
            %  AUTHOR = {Smith, Jr., Bill, Lee und James Smith}
            %}
            @book{kept, title = {Kept}} % trailing comment @misc{alsohidden, title={x}}
            Junk text with 50% in it hides the rest of its line, @misc{hidden, title = {x}}
            @misc{after, title = {After}}
            """);
        Assert.Equal(["kept", "after"], file.Papers.Select(p => p.Key));
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void Percent_comments_between_fields_are_skipped()
    {
        var file = BibParser.Parse("/w/a.bib", """
            @BOOK{gxd1,
              AUTHOR = {Simon Smith}, % picks name 1
              % a whole comment line
              TITLE = {Granular}
            }
            """);
        Assert.Equal("Granular", Assert.Single(file.Papers).Title);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void Preamble_content_is_ignored_even_when_it_is_bare_latex()
    {
        var file = BibParser.Parse("/w/a.bib", """
            @preamble{
            \newcommand{\mnras}{Monthly Notices of the Royal Astronomical Society}
            }
            @PREAMBLE( "\def\x{y}" # "z" )
            @article{next, title = {Next}}
            """);
        Assert.Equal("next", Assert.Single(file.Papers).Key);
        Assert.Empty(file.Errors);
    }
}
