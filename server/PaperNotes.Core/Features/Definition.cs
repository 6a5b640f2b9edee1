using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

/// <summary>Go to definition: a key → its library entry and its paper note; a wiki link → the note.</summary>
public static class Definition
{
    public static IReadOnlyList<FileLocation> Find(FeatureContext context, int offset)
    {
        var snapshot = context.Snapshot;
        var result = new List<FileLocation>();
        switch (Target.At(context, offset))
        {
            case Target.Key key:
                // On the definition itself there is nowhere else to go in that file.
                var paper = snapshot.ResolveKey(context.Note, key.Value);
                if (paper is not null && (paper.SourcePath != context.Path || !paper.KeySpan.Touches(offset)))
                    result.Add(new FileLocation(paper.SourcePath, paper.KeySpan));
                if (snapshot.Notes.PaperNoteOf(key.Value) is { } note && note.Path != context.Path)
                    result.Add(new FileLocation(note.Path, new TextSpan(0, 0)));
                break;
            case Target.Link link:
                if (snapshot.ResolveWikiLink(link.From, link.WikiLink.Target) is { } target)
                    result.Add(new FileLocation(target.Path, new TextSpan(0, 0)));
                else if (snapshot.ResolveKey(link.From, link.WikiLink.Target) is { } linkedPaper)
                    result.Add(new FileLocation(linkedPaper.SourcePath, linkedPaper.KeySpan));
                break;
        }
        return result;
    }
}
