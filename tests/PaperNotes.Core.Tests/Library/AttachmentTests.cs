using PaperNotes.Core.Library;

namespace PaperNotes.Core.Tests.Library;

/// <summary>The files a library entry names, as reference managers write them.</summary>
public class AttachmentTests
{
    private static string Render(string field) =>
        string.Join("\n", Attachments.ParseFileField(field, "/lib/refs.bib").Select(a => $"{a.Description}|{a.Path}|{a.Type}"));

    [Theory]
    [InlineData("Full Text PDF:/home/u/Zotero/storage/AB12/paper.pdf:application/pdf", "Full Text PDF|/home/u/Zotero/storage/AB12/paper.pdf|application/pdf")]
    [InlineData(":papers/attention.pdf:PDF", "|/lib/papers/attention.pdf|PDF")]
    [InlineData("papers/plain.pdf", "|/lib/papers/plain.pdf|")]
    [InlineData(@"Main:C\:\\Users\\ada\\My Paper.pdf:PDF", "Main|C:/Users/ada/My Paper.pdf|PDF")]
    [InlineData("Snapshot:C:\\\\Users\\\\x.html:text/html", "Snapshot|C:/Users/x.html|text/html")]
    [InlineData(@"A:a.pdf:PDF;B:b\;c.pdf:PDF", "A|/lib/a.pdf|PDF\nB|/lib/b;c.pdf|PDF")]
    [InlineData(";;", "")]
    public void File_fields_as_JabRef_Zotero_and_Better_BibTeX_write_them(string field, string expected) =>
        Assert.Equal(expected, Render(field));

    [Fact]
    public void A_bib_entry_keeps_the_file_field_verbatim_and_adds_pdf()
    {
        var file = LibraryParser.Parse("/lib/refs.bib", """
            @article{a, title={A}, file={Full Text:sub dir/My Paper.pdf:application/pdf}, pdf={other.pdf}}
            """, LibraryKind.BibTeX);
        var found = Attachments.Of(file.Papers[0]).Select(a => a.Path);
        Assert.Equal(["/lib/sub dir/My Paper.pdf", "/lib/other.pdf"], found);
    }
}
