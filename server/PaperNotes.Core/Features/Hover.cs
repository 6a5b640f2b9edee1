using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

public sealed record HoverResult(string Markdown, TextSpan Span);

/// <summary>Hover: a paper (on a citation or library key) or a note (on a wiki link). Nothing elsewhere.</summary>
public static class Hover
{
    public static HoverResult? Find(FeatureContext context, int offset) => Target.At(context, offset) switch
    {
        Target.Key key => PaperOf(context, key, offset) is { } paper
            ? new HoverResult(ForPaper(context, paper), key.Span)
            : null,
        Target.Link link => ForLink(context, link),
        _ => null,
    };

    // On a key in a library file, the entry under the cursor (a later duplicate is not the winner); else the
    // paper the key resolves to.
    private static Paper? PaperOf(FeatureContext context, Target.Key key, int offset) =>
        context.Library is { } library && Target.PaperAt(library, offset) is { } here && here.Key == key.Value
            ? here
            : context.Snapshot.ResolveKey(context.Note, key.Value);

    /// <summary>The paper, where it is defined, its paper note and how often it is cited.</summary>
    public static string ForPaper(FeatureContext context, Paper paper)
    {
        var snapshot = context.Snapshot;
        var sb = new StringBuilder(PaperMarkdown.Full(paper));
        var footer = new List<string>();
        foreach (var file in context.ExistingAttachments(paper).Take(3))
            footer.Add($"📄 [{(file.IsPdf ? "Open PDF" : "Open " + PaperMarkdown.Escape(System.IO.Path.GetFileName(file.Path)))}]({PaperMarkdown.FileUri(file.Path)})");
        if (context.Options.ZoteroLinks) footer.Add($"[Open in Zotero]({PaperMarkdown.ZoteroUri(paper.Key)})");
        if (snapshot.Notes.PaperNoteOf(paper.Key) is { } paperNote)
            footer.Add($"📝 [{PaperMarkdown.Escape(snapshot.RelativePath(paperNote.Path))}]({FileUri(paperNote.Path)})");
        var line = snapshot.LinesOf(paper.SourcePath)?.GetPosition(paper.KeySpan.Start).Line ?? 0;
        footer.Add($"`@{paper.Key}` in [{PaperMarkdown.Escape(snapshot.RelativePath(paper.SourcePath))}:{line + 1}]({FileUri(paper.SourcePath)}#L{line + 1})");
        int citing = snapshot.Notes.CitersOf(paper.Key).Count;
        footer.Add(citing == 1 ? "cited in 1 note" : $"cited in {citing} notes");
        sb.Append("\n---\n\n").Append(string.Join(" · ", footer)).Append('\n');
        return sb.ToString();
    }

    private static HoverResult? ForLink(FeatureContext context, Target.Link link)
    {
        var wiki = link.WikiLink;
        if (context.Snapshot.ResolveWikiLink(link.From, wiki.Target) is { } note)
        {
            var sb = new StringBuilder();
            sb.Append("**").Append(PaperMarkdown.Escape(note.Title)).Append("**\n\n");
            if (!string.IsNullOrWhiteSpace(note.FirstParagraph)) sb.Append(note.FirstParagraph).Append("\n\n");
            sb.Append($"[{PaperMarkdown.Escape(context.Snapshot.RelativePath(note.Path))}]({FileUri(note.Path)})\n");
            return new HoverResult(sb.ToString(), wiki.Span);
        }
        // [[key]] of a paper that has no note yet: the paper itself is still worth showing.
        return context.Snapshot.ResolveKey(link.From, wiki.Target) is { } paper
            ? new HoverResult(ForPaper(context, paper), wiki.Span)
            : null;
    }

    public static string FileUri(string path) => PaperMarkdown.FileUri(path);
}
