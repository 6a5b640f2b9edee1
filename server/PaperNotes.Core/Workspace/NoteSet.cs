using System.Collections.Immutable;
using PaperNotes.Core.Notes;

namespace PaperNotes.Core.Workspace;

/// <summary>
/// Every note plus the indices features need: key → citing notes, citekey → paper note, name → notes.
/// Immutable; <see cref="With"/> removes the old note's contributions and adds the new one's, so an edit
/// costs O(changes in that note), not O(workspace).
/// </summary>
public sealed class NoteSet
{
    public static readonly NoteSet Empty = new(
        ImmutableSortedDictionary.Create<string, Note>(StringComparer.Ordinal),
        PathIndex.Empty(StringComparer.Ordinal), PathIndex.Empty(StringComparer.Ordinal), PathIndex.Empty(StringComparer.OrdinalIgnoreCase));

    /// <summary>Notes by path, in path order.</summary>
    public ImmutableSortedDictionary<string, Note> Notes { get; }
    private readonly PathIndex _citers;
    private readonly PathIndex _paperNotes;
    private readonly PathIndex _byName;

    private NoteSet(ImmutableSortedDictionary<string, Note> notes, PathIndex citers, PathIndex paperNotes, PathIndex byName)
    {
        Notes = notes;
        _citers = citers;
        _paperNotes = paperNotes;
        _byName = byName;
    }

    /// <summary>Builds the set and its indices in one pass with mutable builders (With is for single edits).</summary>
    public static NoteSet Create(IEnumerable<Note> notes)
    {
        var byPath = new SortedDictionary<string, Note>(StringComparer.Ordinal);
        foreach (var note in notes) byPath[note.Path] = note;
        var citers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var paperNotes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        static void Add(Dictionary<string, List<string>> map, string key, string path)
        {
            if (!map.TryGetValue(key, out var list)) map[key] = list = [];
            if (list.Count == 0 || list[^1] != path) list.Add(path);
        }
        // In path order, so every key's paths are in path order too.
        foreach (var (path, note) in byPath)
        {
            foreach (var citation in note.Citations) Add(citers, citation.Key, path);
            if (note.FrontMatter.CiteKey is { } citeKey) Add(paperNotes, citeKey, path);
            Add(byName, note.Name, path);
        }
        return new NoteSet(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, byPath),
            PathIndex.Create(citers), PathIndex.Create(paperNotes), PathIndex.Create(byName));
    }

    public Note? Find(string path) => Notes.GetValueOrDefault(path);

    /// <summary>Paths of the notes citing a key, in path order.</summary>
    public IReadOnlyCollection<string> CitersOf(string key) => _citers[key];

    /// <summary>The paper note of a key (front matter <c>citekey:</c>); the first in path order.</summary>
    public Note? PaperNoteOf(string key) => _paperNotes[key].FirstOrDefault() is { } path ? Notes.GetValueOrDefault(path) : null;

    /// <summary>Notes whose file name (without .md) is the name, case-insensitive, in path order.</summary>
    public IReadOnlyCollection<string> NotesNamed(string name) => _byName[name];

    public IEnumerable<string> PaperNoteKeys => _paperNotes.Keys;

    /// <summary>True when both sets have the same citations and paper notes by key (an edit that changed neither
    /// keeps the very same indices, so this is a reference check).</summary>
    public bool SameCitationsAs(NoteSet other) => ReferenceEquals(_citers, other._citers) && ReferenceEquals(_paperNotes, other._paperNotes);

    public NoteSet With(Note note)
    {
        if (!Notes.TryGetValue(note.Path, out var old)) return Add(note);
        // An edit rarely changes which keys a note cites: only touch the index entries that differ,
        // so typing in a 5,000-line note costs O(keys changed), not O(keys cited).
        var oldKeys = old.Citations.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var newKeys = note.Citations.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var citers = _citers;
        foreach (var key in oldKeys)
            if (!newKeys.Contains(key)) citers = citers.Remove(key, note.Path);
        foreach (var key in newKeys)
            if (!oldKeys.Contains(key)) citers = citers.Add(key, note.Path);
        var paperNotes = _paperNotes;
        if (old.FrontMatter.CiteKey != note.FrontMatter.CiteKey)
        {
            if (old.FrontMatter.CiteKey is { } oldKey) paperNotes = paperNotes.Remove(oldKey, note.Path);
            if (note.FrontMatter.CiteKey is { } newKey) paperNotes = paperNotes.Add(newKey, note.Path);
        }
        return new NoteSet(Notes.SetItem(note.Path, note), citers, paperNotes, _byName);
    }

    private NoteSet Add(Note note)
    {
        var citers = _citers;
        foreach (var key in note.Citations.Select(c => c.Key).Distinct())
            citers = citers.Add(key, note.Path);
        var paperNotes = note.FrontMatter.CiteKey is { } citeKey ? _paperNotes.Add(citeKey, note.Path) : _paperNotes;
        return new NoteSet(Notes.Add(note.Path, note), citers, paperNotes, _byName.Add(note.Name, note.Path));
    }

    public NoteSet Without(string path)
    {
        if (!Notes.TryGetValue(path, out var old)) return this;
        var citers = _citers;
        foreach (var key in old.Citations.Select(c => c.Key).Distinct())
            citers = citers.Remove(key, path);
        var paperNotes = old.FrontMatter.CiteKey is { } citeKey ? _paperNotes.Remove(citeKey, path) : _paperNotes;
        return new NoteSet(Notes.Remove(path), citers, paperNotes, _byName.Remove(old.Name, path));
    }
}
