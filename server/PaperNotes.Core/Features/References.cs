using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Features;

/// <summary>Find references: every citation of the key in every note (plus its definitions when asked);
/// on a wiki link, every wiki link to the same note.</summary>
public static class References
{
    public static IReadOnlyList<FileLocation> Find(FeatureContext context, int offset, bool includeDeclaration)
    {
        var snapshot = context.Snapshot;
        return Target.At(context, offset) switch
        {
            Target.Key key => OfKey(snapshot, key.Value, includeDeclaration),
            Target.Link link => OfLink(snapshot, link),
            _ => [],
        };
    }

    public static IReadOnlyList<FileLocation> OfKey(Snapshot snapshot, string key, bool includeDeclaration)
    {
        var result = new List<FileLocation>();
        if (includeDeclaration)
            foreach (var paper in snapshot.Libraries.DefinitionsOf(key))
                result.Add(new FileLocation(paper.SourcePath, paper.KeySpan));
        foreach (var path in snapshot.Notes.CitersOf(key))
        {
            if (snapshot.Notes.Find(path) is not { } note) continue;
            foreach (var citation in note.Citations)
                if (citation.Key == key) result.Add(new FileLocation(path, citation.KeySpan));
        }
        return result;
    }

    private static IReadOnlyList<FileLocation> OfLink(Snapshot snapshot, Target.Link link)
    {
        var target = snapshot.ResolveWikiLink(link.From, link.WikiLink.Target);
        if (target is null) return [];
        var result = new List<FileLocation>();
        foreach (var note in snapshot.Notes.Notes.Values)
            foreach (var other in note.WikiLinks)
                if (snapshot.ResolveWikiLink(note, other.Target)?.Path == target.Path)
                    result.Add(new FileLocation(note.Path, other.TargetSpan));
        return result;
    }
}
