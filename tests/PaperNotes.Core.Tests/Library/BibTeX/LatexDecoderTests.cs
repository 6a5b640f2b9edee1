using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

public class LatexDecoderTests
{
    [Theory]
    [InlineData(@"{\""o}", "ö")]
    [InlineData(@"Sch{\""o}nberg", "Schönberg")]
    [InlineData(@"\""{o}", "ö")]
    [InlineData(@"Caf\'e", "Café")]
    [InlineData(@"\`a \^o \~n \=u \.z", "à ô ñ ū ż")]
    [InlineData(@"Gar\c{c}on \c c", "Garçon ç")]
    [InlineData(@"{\L}ukasiewicz", "Łukasiewicz")]
    [InlineData(@"Stra\ss e {\ss}", "Straße ß")]
    [InlineData(@"{\o} \O{} {\aa} \AA{} \ae\ \AE", "ø Ø å Å æ Æ")]
    [InlineData(@"Aks{\i}n \'{\i} \""\i", "Aksın í ï")]
    [InlineData(@"\v{s}\v{C} \u{a} \H{o} \k{e} \r{u} \d{h}", "šČ ă ő ę ů ḥ")]
    [InlineData(@"{\TeX} and \LaTeX{} and \BibTeX", "TeX and LaTeX and BibTeX")]
    [InlineData("pages 10--20, wait---what", "pages 10–20, wait—what")]
    [InlineData("J.~Organomet.~Chem.", "J.\u00A0Organomet.\u00A0Chem.")]
    [InlineData(@"\& \% \$ \_ \# \{x\}", "& % $ _ # {x}")]
    [InlineData(@"\textit{x} \emph{y} \textbf{z} {\em w} {\bf v}", "x y z w v")]
    [InlineData(@"The $x^2$ and $\alpha$-helix", "The x^2 and α-helix")]
    [InlineData("{Protective} {{Braces}} {Pd-N}-heterocyclic", "Protective Braces Pd-N-heterocyclic")]
    [InlineData(@"\unknowncommand{kept text} \foo bar", "kept text bar")]
    [InlineData(@"\href{http://x.org}{the site} {\noopsort{a}}Zed", "the site Zed")]
    [InlineData("  multi\n   line\r\n\tvalue  ", "multi line value")]
    [InlineData("``quoted'' and `single'", "“quoted” and ‘single'")]
    [InlineData("plain value with no specials", "plain value with no specials")]
    [InlineData("state-of-the-art isn't plain's", "state-of-the-art isn't plain's")]
    [InlineData(@"\'", "\u0301")]
    [InlineData(@"trailing \", "trailing")]
    [InlineData(@"unbalanced {brace and } extra }", "unbalanced brace and extra")]
    [InlineData(@"\""{\O}", "Ø\u0308")]
    [InlineData(@"the \enquote*{inner} and \enquote{outer}", "the “inner” and “outer”")]
    public void Decodes_latex_to_unicode(string latex, string expected) =>
        Assert.Equal(expected, LatexDecoder.Decode(latex));

    [Fact]
    public void Plain_value_is_returned_without_copying()
    {
        var s = "An ordinary title without any markup";
        Assert.Same(s, LatexDecoder.Decode(s));
    }

    [Theory]
    [InlineData(@"10.1000/a\_b--c", "10.1000/a_b--c")]
    [InlineData(@"\url{http://x.org/~me/a%20b}", "http://x.org/~me/a%20b")]
    [InlineData("http://x.org/\n   long", "http://x.org/long")]
    public void Verbatim_fields_keep_dashes_and_tildes(string value, string expected) =>
        Assert.Equal(expected, LatexDecoder.DecodeVerbatim(value));
}
