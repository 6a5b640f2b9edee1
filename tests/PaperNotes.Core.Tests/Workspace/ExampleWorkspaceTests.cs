using PaperNotes.Core.Diagnostics;
using PaperNotes.Core.Features;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Workspace;

/// <summary>The repository's <c>examples/</c> workspace, loaded like the disk loader does.</summary>
public class ExampleWorkspaceTests
{
    private static readonly Lazy<(Snapshot Snapshot, Dictionary<string, string> Texts)> Example = new(() =>
    {
        var root = PathUtil.Normalize(Path.Combine(Repo.Root, "examples"));
        var texts = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => PathUtil.Normalize(p), File.ReadAllText, StringComparer.Ordinal);
        return (TestWorkspace.Build(texts, root), texts);
    });

    private static string SslCollapse => PathUtil.Combine(Example.Value.Snapshot.Root, "notes/ssl-collapse.md");

    [Fact]
    public void Example_workspace_has_exactly_one_finding_the_deliberate_typo()
    {
        var snapshot = Example.Value.Snapshot;
        var all = DiagnosticCollector.ForWorkspace(snapshot).SelectMany(p => p.Value).ToList();
        var only = Assert.Single(all);
        Assert.Equal(SslCollapse, only.Path);
        Assert.Equal(DiagnosticCodes.UnknownCitation, only.Code);
        Assert.Equal(["understanding2021"], only.Suggestions);
        Assert.Equal("unknown citation key 'understandig2021'; did you mean 'understanding2021'?", only.Message);
    }

    [Fact]
    public void Hover_on_understanding2021_in_ssl_collapse_shows_title_and_abstract()
    {
        var (snapshot, texts) = Example.Value;
        var text = texts[SslCollapse];
        int offset = text.IndexOf("@understanding2021", StringComparison.Ordinal) + 3;
        var hover = Hover.Find(new FeatureContext(snapshot, SslCollapse, text), offset);
        Assert.NotNull(hover);
        Assert.Contains("Contrastive", hover.Markdown);
        Assert.Contains("> While contrastive approaches of self-supervised learning", hover.Markdown);
        Assert.Contains("📝 [notes/papers/understanding2021.md]", hover.Markdown);
    }

    [Fact]
    public void Completion_of_at_contrast_in_ssl_collapse_offers_understanding2021()
    {
        var (snapshot, texts) = Example.Value;
        var text = texts[SslCollapse] + "\nCompare @contrast";
        snapshot = snapshot.WithNote(NoteParser.Parse(SslCollapse, text));
        var result = Completion.Find(new FeatureContext(snapshot, SslCollapse, text), text, text.Length);
        Assert.NotNull(result);
        Assert.Equal("contrast", text[result.Replace.Start..result.Replace.End]);
        Assert.Contains(result.Items, i => i.Key == "understanding2021" && i.FilterText.StartsWith("contrast", StringComparison.Ordinal));
    }
}
