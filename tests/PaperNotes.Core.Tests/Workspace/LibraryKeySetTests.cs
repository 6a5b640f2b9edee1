using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Workspace;

/// <summary>A reload that keeps every key (a reference manager's export after a field edit) changes no note's findings:
/// <see cref="LibrarySet.SameKeysAs"/> tells it from one that adds, removes or renames a key.</summary>
public class LibraryKeySetTests
{
    private const string Refs = "@article{a, title = {A}, year = 2020}\n@article{b, title = {B}, year = 2021}\n";
    private const string Other = "@misc{c, title = {C}}\n";

    private static LibrarySet Set(string refs, string other = Other) =>
        LibrarySet.Create([BibParser.Parse("/w/refs.bib", refs), BibParser.Parse("/w/other.bib", other)]);

    [Theory]
    [InlineData("@article{a, title = {A retitled}, year = 2020}\n@article{b, title = {B}, year = 2021}\n", true)]
    [InlineData("@article{b, title = {B}, year = 2021}\n@article{a, title = {A}, year = 2020}\n", true)] // moved
    [InlineData(Refs + "@misc{c, title = {C again}}\n", true)] // a duplicate of another file's key: no new key
    [InlineData(Refs + "@misc{d, title = {D}}\n", false)] // added
    [InlineData("@article{a, title = {A}, year = 2020}\n", false)] // removed
    [InlineData("@article{a, title = {A}, year = 2020}\n@article{bb, title = {B}, year = 2021}\n", false)] // renamed
    [InlineData("@article{a, title = {A}, year = 2020}\n@article{c, title = {B}, year = 2021}\n", false)] // b gone, c was the other file's
    public void A_set_has_the_same_keys_only_when_no_key_came_or_went(string rewritten, bool same)
    {
        var before = Set(Refs);
        var after = before.With(BibParser.Parse("/w/refs.bib", rewritten, before.Files["/w/refs.bib"]));
        Assert.Equal(same, after.SameKeysAs(before));
        Assert.Equal(same, before.SameKeysAs(after));
    }
}
