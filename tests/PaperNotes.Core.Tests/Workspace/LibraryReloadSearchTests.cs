using System.Text;
using PaperNotes.Core.Diagnostics;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Workspace;
using Xunit;

namespace PaperNotes.Core.Tests.Workspace;

/// <summary>A large library that changes keeps answering search from the index it replaced until its own is built, and
/// "did you mean" from a scan until its index is built.</summary>
public class LibraryReloadSearchTests
{
    private static PaperNotes.Core.Library.LibraryFile Library(int papers, string changedTitle)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < papers; i++)
            sb.Append($"@misc{{key{i}, title = {{{(i == 0 ? changedTitle : $"Paper number {i}")}}}}}\n");
        return BibParser.Parse("/w/refs.bib", sb.ToString());
    }

    [Fact]
    public void A_large_changed_library_answers_from_the_previous_index_until_its_own_is_built()
    {
        var before = LibrarySet.Create([Library(LibrarySet.SearchInBackgroundFrom, "Zebra crossings")]);
        before.WarmUp();
        var after = before.With(Library(LibrarySet.SearchInBackgroundFrom, "Quokka habitats"));

        Assert.False(after.SearchReady);
        Assert.Equal("key0", Assert.Single(after.Search.Search("zebra", 10)).Paper.Key); // the replaced index, at once
        after.WarmUp(); // what the background build does
        Assert.True(after.SearchReady);
        Assert.Empty(after.Search.Search("zebra", 10));
        Assert.Equal("key0", Assert.Single(after.Search.Search("quokka", 10)).Paper.Key);
        Assert.NotNull(after.Find("key0"));
    }

    [Fact]
    public void A_small_changed_library_builds_its_index_when_asked()
    {
        var before = LibrarySet.Create([Library(100, "Zebra crossings")]);
        before.WarmUp();
        var after = before.With(Library(100, "Quokka habitats"));
        Assert.Empty(after.Search.Search("zebra", 10));
        Assert.Single(after.Search.Search("quokka", 10));
    }

    [Fact]
    public void A_large_library_suggests_keys_by_a_scan_until_its_index_is_built_and_the_same_after()
    {
        var libraries = LibrarySet.Create([Library(LibrarySet.SuggestInBackgroundFrom, "Zebra crossings")]);
        var typos = new[] { "kye17", "key1234x", "key99", "key", "zzzz" };
        var before = typos.Select(libraries.SuggestKeys).ToList(); // answered at once; the index is built meanwhile
        _ = libraries.Suggester; // waits for it
        Assert.Equal(before, typos.Select(libraries.SuggestKeys));
        Assert.Equal(["key17", "key1", "key10"], before[0]); // a swap; then two edits, in ordinal order
    }

    [Fact]
    public void A_changed_library_carries_did_you_mean_over_with_the_renamed_key()
    {
        var before = LibrarySet.Create([Library(300, "Zebra crossings")]);
        Assert.Equal("key17", before.SuggestKeys("kye17")[0]);
        var text = new StringBuilder();
        for (int i = 0; i < 300; i++) text.Append($"@misc{{{(i == 17 ? "quokka17" : $"key{i}")}, title = {{Paper number {i}}}}}\n");
        var after = before.With(BibParser.Parse("/w/refs.bib", text.ToString(), before.Files["/w/refs.bib"]));
        Assert.DoesNotContain("key17", after.SuggestKeys("kye17")); // renamed
        Assert.Equal(new ScanKeySuggester(after.Keys).Suggest("kye17"), after.SuggestKeys("kye17"));
        Assert.Equal("quokka17", after.SuggestKeys("qoukka17")[0]);
        Assert.Equal(300, after.Suggester.Count);
    }
}
