using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

public class BibNamesTests
{
    private static void Check(string value, string expected) =>
        Assert.Equal(expected, string.Join("; ", BibNames.Parse(value).Select(BibTestSupport.Name)));

    [Theory]
    [InlineData("Donald E. Knuth", "Knuth, Donald E.")]
    [InlineData("Knuth, Donald E.", "Knuth, Donald E.")]
    [InlineData("Smith, Jr, John", "Smith, John {Jr}")]
    [InlineData("Smith, Jr., John and Doe, Jane", "Smith, John {Jr.}; Doe, Jane")]
    [InlineData("Ludwig van Beethoven", "[van] Beethoven, Ludwig")]
    [InlineData("van Beethoven, Ludwig", "[van] Beethoven, Ludwig")]
    [InlineData("Jean de la Fontaine", "[de la] Fontaine, Jean")]
    [InlineData("de la Fontaine, Jean", "[de la] Fontaine, Jean")]
    [InlineData("{World Health Organization}", "=World Health Organization")]
    [InlineData("{Barnes and Noble} and Smith, A.", "=Barnes and Noble; Smith, A.")]
    [InlineData("A. Smith AND B. Jones And C. Brown", "Smith, A.; Jones, B.; Brown, C.")]
    [InlineData("A. Smith and others", "Smith, A.")]
    [InlineData(@"Aks{\i}n, {\""O}zge and B{\""u}y{\""u}kg{\""u}ng{\""o}r, Orhan", "Aksın, Özge; Büyükgüngör, Orhan")]
    [InlineData(@"{\""O}zkal, Erhan", "Özkal, Erhan")]
    [InlineData("Plato", "Plato")]
    [InlineData("Andersen, Hans~Christian", "Andersen, Hans\u00A0Christian")]
    [InlineData("family=Goethe, given=Johann Wolfgang, prefix=von, useprefix=false", "[von] Goethe, Johann Wolfgang")]
    [InlineData("given=Antonie, prefix=van, family=Leeuwenhoek, useprefix=true", "[van] Leeuwenhoek, Antonie")]
    [InlineData("Brand\nand\nSmith", "Brand; Smith")]
    [InlineData("", "")]
    [InlineData("  and  ", "")]
    [InlineData("{von Neumann}, John", "von Neumann, John")]
    public void Parses_bibtex_name_lists(string value, string expected) => Check(value, expected);
}
