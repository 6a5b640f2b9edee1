using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

/// <summary>
/// Go to definition: one target, so editors jump instead of opening a list (texlab and marksman answer one too).
/// A key → its library entry (its paper note when no library defines it; the hover links the paper note);
/// a wiki link → the note.
/// </summary>
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
                bool onEntry = paper is not null && paper.SourcePath == context.Path && paper.KeySpan.Touches(offset);
                if (paper is not null && !onEntry)
                    result.Add(new FileLocation(paper.SourcePath, paper.KeySpan));
                else if (snapshot.Notes.PaperNoteOf(key.Value) is { } note && note.Path != context.Path)
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
