using PaperNotes.Core.Library;
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
            Target.Key key => OfKey(snapshot, key.Value, includeDeclaration, context.Note),
            Target.Link link => OfLink(snapshot, link),
            _ => [],
        };
    }

    public static IReadOnlyList<FileLocation> OfKey(Snapshot snapshot, string key, bool includeDeclaration) =>
        OfKey(snapshot, key, includeDeclaration, from: null);

    /// <summary>
    /// References of a key as seen from a note: a key the note defines in its own front-matter
    /// <c>references:</c> is local to it (declaration = that item); a library key is cited by every note
    /// that does not define the same key locally.
    /// </summary>
    public static IReadOnlyList<FileLocation> OfKey(Snapshot snapshot, string key, bool includeDeclaration, Note? from)
    {
        var result = new List<FileLocation>();
        if (LocalReference(from, key) is { } local)
        {
            if (includeDeclaration) result.Add(new FileLocation(local.SourcePath, local.KeySpan));
            AddCitations(from!, key, result);
            return result;
        }
        if (includeDeclaration)
            foreach (var paper in snapshot.Libraries.DefinitionsOf(key))
                result.Add(new FileLocation(paper.SourcePath, paper.KeySpan));
        foreach (var note in NotesSeeingLibraryKey(snapshot, key))
            AddCitations(note, key, result);
        return result;
    }

    /// <summary>The note's own front-matter definition of the key, if any.</summary>
    internal static Paper? LocalReference(Note? note, string key) =>
        note?.FrontMatter.References.FirstOrDefault(p => p.Key == key);

    /// <summary>Notes citing the key that resolve it to the libraries (not to a front-matter reference of their own).</summary>
    internal static IEnumerable<Note> NotesSeeingLibraryKey(Snapshot snapshot, string key)
    {
        foreach (var path in snapshot.Notes.CitersOf(key))
            if (snapshot.Notes.Find(path) is { } note && LocalReference(note, key) is null)
                yield return note;
    }

    private static void AddCitations(Note note, string key, List<FileLocation> into)
    {
        foreach (var citation in note.Citations)
            if (citation.Key == key) into.Add(new FileLocation(note.Path, citation.KeySpan));
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
