using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Features;

public sealed record RenameResult(IReadOnlyList<FileEdit> Edits, string? Error)
{
    public static RenameResult Fail(string error) => new([], error);
}

/// <summary>
/// Rename a citation key everywhere: every citation in every note, the library entries (BibTeX key or CSL id),
/// a paper note's <c>citekey:</c> and wiki links naming it. A new key that is not valid or already exists is refused.
/// </summary>
public static class Rename
{
    public sealed record Range(TextSpan Span, string Placeholder);

    public static Range? Prepare(FeatureContext context, int offset) =>
        Target.At(context, offset) is Target.Key key ? new Range(key.Span, key.Value) : null;

    public static RenameResult Apply(FeatureContext context, int offset, string newKey)
    {
        if (Target.At(context, offset) is not Target.Key key) return RenameResult.Fail("nothing to rename here: put the cursor on a citation key");
        newKey = newKey.Trim().TrimStart('@');
        if (!CitationSyntax.IsPlainKey(newKey))
            return RenameResult.Fail($"'{newKey}' is not a valid citation key: start with a letter, digit or '_', then letters, digits, '_' or :.#$%&-+?<>~/ between them");
        var snapshot = context.Snapshot;
        if (newKey == key.Value) return new RenameResult([], null);
        if (snapshot.Libraries.Contains(newKey))
            return RenameResult.Fail($"the key '{newKey}' already exists in the library");

        var edits = new List<FileEdit>();
        if (References.LocalReference(context.Note, key.Value) is { } local)
        {
            // A key from the note's own front-matter references: only that note sees it.
            var note = context.Note!;
            if (References.LocalReference(note, newKey) is not null)
                return RenameResult.Fail($"the key '{newKey}' already exists in this note's references");
            edits.Add(new FileEdit(note.Path, local.KeySpan, newKey));
            foreach (var citation in note.Citations)
                if (citation.Key == key.Value) edits.Add(new FileEdit(note.Path, citation.KeySpan, newKey));
            return new RenameResult(edits.DistinctBy(e => (e.Path, e.Span)).ToList(), null);
        }

        foreach (var paper in snapshot.Libraries.DefinitionsOf(key.Value))
            edits.Add(new FileEdit(paper.SourcePath, paper.KeySpan, newKey));
        foreach (var note in References.NotesSeeingLibraryKey(snapshot, key.Value))
            foreach (var citation in note.Citations)
                if (citation.Key == key.Value) edits.Add(new FileEdit(note.Path, citation.KeySpan, newKey));
        bool hasPaperNote = snapshot.Notes.PaperNoteOf(key.Value) is not null;
        foreach (var note in snapshot.Notes.Notes.Values)
        {
            // Citekeys and [[key]] links name the library key in every note, whatever its own references say.
            if (note.FrontMatter.CiteKey == key.Value)
                edits.Add(new FileEdit(note.Path, note.FrontMatter.CiteKeySpan, newKey));
            if (hasPaperNote)
                foreach (var link in note.WikiLinks)
                    if (link.Target == key.Value) edits.Add(new FileEdit(note.Path, link.TargetSpan, newKey));
        }
        return new RenameResult(edits.DistinctBy(e => (e.Path, e.Span)).ToList(), null);
    }
}
