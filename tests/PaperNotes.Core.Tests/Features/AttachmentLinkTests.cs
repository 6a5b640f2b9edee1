using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Attached files in hovers and document links: only those that exist; arXiv PDFs; Zotero links when asked.</summary>
public class AttachmentLinkTests
{
    private const string Fixture = """
        //- lib/refs.bib
        @article{withpdf, title={P}, eprint={2102.06810}, archiveprefix={arXiv},
          file={Full Text:pdfs/p.pdf:application/pdf;Gone:pdfs/missing.pdf:application/pdf}}
        //- notes/a.md
        See [@with$0pdf] and [[withpdf]].
        """;

    private static FeatureContext Context(TestWorkspace ws, bool zotero = false) => ws.Context(ws.Cursor) with
    {
        Options = new FeatureOptions { FileExists = p => p == "/w/lib/pdfs/p.pdf", ZoteroLinks = zotero },
    };

    [Fact]
    public void Hover_links_the_existing_pdf_and_the_arxiv_pdf_but_not_a_missing_file()
    {
        var ws = TestWorkspace.From(Fixture);
        var hover = Hover.Find(Context(ws), ws.CursorOffset)!.Markdown;
        Assert.Contains("📄 [Open PDF](file:///w/lib/pdfs/p.pdf)", hover);
        Assert.Contains("[PDF](https://arxiv.org/pdf/2102.06810)", hover);
        Assert.DoesNotContain("missing.pdf", hover);
        Assert.DoesNotContain("zotero://", hover);
    }

    [Fact]
    public void Hover_offers_zotero_when_the_setting_is_on()
    {
        var ws = TestWorkspace.From(Fixture);
        Assert.Contains("[Open in Zotero](zotero://select/items/%40withpdf)".Replace("%40", "@"), Hover.Find(Context(ws, zotero: true), ws.CursorOffset)!.Markdown);
    }

    [Fact]
    public void The_citation_links_to_its_pdf()
    {
        var ws = TestWorkspace.From(Fixture);
        var links = DocumentLinks.Find(Context(ws)).Select(l => $"{ws.Location(ws.Cursor, l.Span)} {l.Target} {l.Tooltip}");
        Assert.Equal(["notes/a.md:0:6-0:13 file:///w/lib/pdfs/p.pdf Open PDF"], links);
    }
}
