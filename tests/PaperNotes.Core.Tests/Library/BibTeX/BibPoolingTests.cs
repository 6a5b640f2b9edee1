using PaperNotes.Core.Library.BibTeX;

namespace PaperNotes.Core.Tests.Library.BibTeX;

public class BibPoolingTests
{
    [Fact]
    public void Repeated_authors_and_venues_are_stored_once_per_file()
    {
        var file = BibParser.Parse("/w/a.bib", """
            @article{a, author = {M{\"u}ller, Anna and Smith, John}, journal = {Nature}, title = {A}}
            @article{b, author = {M{\"u}ller, Anna}, journal = {Nature}, title = {B}}
            @article{c, author = {Smith, John, Jr, Extra, Commas}, journal = {Science}, title = {C}}
            """);
        var (a, b, c) = (file.Papers[0], file.Papers[1], file.Papers[2]);
        Assert.Same(a.Authors[0], b.Authors[0]);
        Assert.Equal("Anna Müller", b.Authors[0].Display);
        Assert.Same(a.ContainerTitle, b.ContainerTitle);
        // A name that produced an error is never shared, so every entry still reports it.
        Assert.Contains(file.Errors, e => e.Message.Contains("too many commas") && e.Message.Contains("'c'"));
        Assert.Equal("Science", c.ContainerTitle);
    }
}
