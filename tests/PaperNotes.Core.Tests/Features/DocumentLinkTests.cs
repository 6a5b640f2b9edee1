using PaperNotes.Core.Features;

namespace PaperNotes.Core.Tests.Features;

/// <summary>Document links of the cursor's file: <c>range "text" -> target (tooltip)</c>, one per line.</summary>
public class DocumentLinkTests
{
    private static void Check(string fixture, string expected)
    {
        var ws = TestWorkspace.From(fixture);
        var links = DocumentLinks.Find(ws.Context());
        Expect.Text(expected, string.Join("\n", links.Select(l =>
            $"{ws.Location(ws.Cursor, l.Span)} \"{ws.Slice(ws.Cursor, l.Span)}\" -> {l.Target} ({l.Tooltip})")));
    }

    [Fact]
    public void Wiki_links_that_resolve_are_links_to_the_note_broken_ones_are_not() => Check("""
        //- notes/a.md
        [[b]], [[sub/c|C]], [[missing]] and [[key2020]].
        //- notes/b.md
        # Bee
        //- notes/sub/c.md
        Cee.
        //- notes/papers/k.md
        ---
        citekey: key2020
        title: Key paper
        ---
        """, """
        notes/a.md:0:2-0:3 "b" -> file:///w/notes/b.md (Bee)
        notes/a.md:0:9-0:14 "sub/c" -> file:///w/notes/sub/c.md (c)
        notes/a.md:0:38-0:45 "key2020" -> file:///w/notes/papers/k.md (Key paper)
        """);

    [Fact]
    public void Doi_and_url_values_in_a_bib_file_are_links() => Check("""
        //- lib/refs.bib
        @article{a,
          title = {A},
          doi = {10.1000/xyz-1},
          url = {https://example.org/a}
        }
        @article{b, doi = "10.1000/b", url = {not a url}}
        """, """
        lib/refs.bib:2:9-2:22 "10.1000/xyz-1" -> https://doi.org/10.1000/xyz-1 (Open DOI)
        lib/refs.bib:3:9-3:30 "https://example.org/a" -> https://example.org/a (Open URL)
        lib/refs.bib:5:19-5:28 "10.1000/b" -> https://doi.org/10.1000/b (Open DOI)
        """);

    [Fact]
    public void A_doi_also_inside_the_url_links_the_doi_field_itself() => Check("""
        //- lib/refs.bib
        @article{a, url = {https://doi.org/10.1000/xyz}, doi = {10.1000/xyz}}
        """, """
        lib/refs.bib:0:56-0:67 "10.1000/xyz" -> https://doi.org/10.1000/xyz (Open DOI)
        lib/refs.bib:0:19-0:46 "https://doi.org/10.1000/xyz" -> https://doi.org/10.1000/xyz (Open URL)
        """);

    [Fact]
    public void Doi_and_url_in_a_csl_json_file_are_links() => Check("""
        //- lib/refs.csl.json
        [{"id": "a", "URL": "https://doi.org/10.1/q", "DOI": "10.1/q"}]
        """, """
        lib/refs.csl.json:0:54-0:60 "10.1/q" -> https://doi.org/10.1/q (Open DOI)
        lib/refs.csl.json:0:21-0:43 "https://doi.org/10.1/q" -> https://doi.org/10.1/q (Open URL)
        """);

    [Fact]
    public void Doi_and_url_in_a_csl_yaml_file_are_links() => Check("""
        //- lib/refs.csl.yaml
        references:
        - id: a
          DOI: 10.1000/abc
          URL: https://example.org/a
        """, """
        lib/refs.csl.yaml:2:7-2:18 "10.1000/abc" -> https://doi.org/10.1000/abc (Open DOI)
        lib/refs.csl.yaml:3:7-3:28 "https://example.org/a" -> https://example.org/a (Open URL)
        """);
}
