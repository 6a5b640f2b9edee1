using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Simple LaTeX in abstracts as Markdown that reads well raw too.</summary>
public class LatexMarkdownTests
{
    [Theory]
    [InlineData(@"learning {\it without} labels", "learning *without* labels")]
    [InlineData(@"an \emph{important} and \textbf{bold} claim", "an *important* and **bold** claim")]
    [InlineData(@"{\em two words } here", "*two words*  here")]
    [InlineData(@"Fig.~3 shows 10--20 runs --- all", "Fig.\u00A03 shows 10–20 runs — all")]
    [InlineData(@"the {BERT} model", "the BERT model")]
    [InlineData(@"50\% of $x_i^2$ cases", @"50% of $x\_i^2$ cases")]
    [InlineData(@"a *star* and [brackets]", @"a \*star\* and \[brackets\]")]
    [InlineData(@"unknown \alpha command", @"unknown \\alpha command")]
    [InlineData(@"unclosed {\it group", "unclosed *group*")]
    [InlineData(@"stray } brace", "stray  brace")]
    public void Renders(string latex, string markdown) => Assert.Equal(markdown, LatexMarkdown.Render(latex));

    [Fact]
    public void Deep_nesting_is_capped_and_keeps_the_text()
    {
        var deep = new string('{', 100_000) + "core" + new string('}', 100_000);
        Assert.Equal("core", LatexMarkdown.Render(deep));
    }
}
