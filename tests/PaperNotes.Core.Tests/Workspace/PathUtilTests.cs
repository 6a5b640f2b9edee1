using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Workspace;

public class PathUtilTests
{
    [Theory]
    [InlineData("/w/a/./b/../c", "/w/a/c")]
    [InlineData("C:\\w\\a\\..\\b", "C:/w/b")]
    [InlineData("/w//a/", "/w/a")]
    [InlineData("../a", "../a")]
    [InlineData("/", "/")]
    public void Normalize_collapses_dots_and_separators(string path, string expected) =>
        Assert.Equal(expected, PathUtil.Normalize(path));

    [Theory]
    [InlineData("/w/notes/a.md", "../lib/x.bib", "/w/lib/x.bib")]
    [InlineData("/w/notes/a.md", "x.bib", "/w/notes/x.bib")]
    [InlineData("/w/notes/a.md", "/abs/x.bib", "/abs/x.bib")]
    [InlineData("/a.md", "x.bib", "/x.bib")]
    public void Resolve_is_relative_to_the_files_folder(string from, string relative, string expected) =>
        Assert.Equal(expected, PathUtil.Resolve(from, relative));

    [Theory]
    [InlineData("/w", "/w/notes/a.md", "notes/a.md")]
    [InlineData("/w/", "/w/notes/a.md", "notes/a.md")]
    [InlineData("/w", "/wx/a.md", "/wx/a.md")]
    public void Relative_strips_the_root_only_at_a_folder_boundary(string root, string path, string expected) =>
        Assert.Equal(expected, PathUtil.Relative(root, path));
}
