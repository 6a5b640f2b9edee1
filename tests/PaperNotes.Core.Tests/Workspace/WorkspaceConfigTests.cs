using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Workspace;

public class WorkspaceConfigTests
{
    [Theory]
    [InlineData("refs.bib", "library")]
    [InlineData("lib/sub/refs.BIB", "library")]
    [InlineData("lib/refs.csl.json", "library")]
    [InlineData("lib/refs.csl.yml", "library")]
    [InlineData("lib/refs.json", "neither")]
    [InlineData("notes/a.md", "note")]
    [InlineData("notes/a.markdown", "note")]
    [InlineData(".git/a.md", "neither")]
    [InlineData("node_modules/x/refs.bib", "neither")]
    [InlineData("notes/.hidden/a.md", "neither")]
    [InlineData("bin/a.md", "neither")]
    public void Default_globs_classify_files(string relative, string expected)
    {
        var config = WorkspaceConfig.Default;
        var actual = config.IsLibrary(relative) ? "library" : config.IsNote(relative) ? "note" : "neither";
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Config_file_overrides_globs_and_settings_override_the_file()
    {
        var (config, error) = WorkspaceConfig.Parse("library: refs/*.bib\nnotes:\n  - journal/**/*.md\n");
        Assert.Null(error);
        Assert.True(config.IsLibrary("refs/a.bib"));
        Assert.False(config.IsLibrary("other/a.bib"));
        Assert.True(config.IsNote("journal/2024/a.md"));
        Assert.False(config.IsNote("notes/a.md"));
        var overridden = config.Override(null, ["**/*.md"]);
        Assert.True(overridden.IsNote("notes/a.md"));
        Assert.True(overridden.IsLibrary("refs/a.bib"));
    }

    [Fact]
    public void A_broken_config_file_gives_the_defaults_and_a_positioned_error()
    {
        var (config, error) = WorkspaceConfig.Parse("library: [unclosed\n");
        Assert.Same(WorkspaceConfig.Default, config);
        Assert.NotNull(error);
        Assert.Matches(@"^\d+:\d+: not valid YAML: ", error);
    }

    [Fact]
    public void A_config_file_nested_100k_deep_is_a_positioned_error_not_a_crash()
    {
        var (config, error) = WorkspaceConfig.Parse("library: [refs/*.bib]\nother: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        Assert.Same(WorkspaceConfig.Default, config);
        Assert.Equal("2:71: not valid YAML: nested more than 64 levels deep", error); // the 64th '[' (1-based column)
    }

    [Fact]
    public void An_empty_config_file_gives_the_defaults() =>
        Assert.Same(WorkspaceConfig.Default, WorkspaceConfig.Parse("").Config);
}
