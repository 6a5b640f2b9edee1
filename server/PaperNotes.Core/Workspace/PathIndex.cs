using System.Collections.Immutable;

namespace PaperNotes.Core.Workspace;

/// <summary>
/// The notes (paths, in path order) that go with each key: cite it, are its paper note, or bear its name. Built for a
/// whole workspace as a plain dictionary of sorted arrays, never changed after that, which is cheap to build (2,000 notes
/// citing 80,000 keys: immutable trees took a quarter of a second of a cold start); an edit then changes it through a
/// small immutable overlay of the keys edits touched, so one costs O(log keys touched), not a copy.
/// </summary>
internal sealed class PathIndex
{
    private readonly Dictionary<string, string[]> _built;
    private readonly ImmutableDictionary<string, ImmutableSortedSet<string>> _edited; // an empty set: no paths any more

    private PathIndex(Dictionary<string, string[]> built, ImmutableDictionary<string, ImmutableSortedSet<string>> edited)
    {
        _built = built;
        _edited = edited;
    }

    public static PathIndex Empty(StringComparer comparer) => new(new(comparer), ImmutableDictionary.Create<string, ImmutableSortedSet<string>>(comparer));

    /// <param name="paths">Each key's paths, in path order, without repeats.</param>
    public static PathIndex Create(Dictionary<string, List<string>> paths)
    {
        var built = new Dictionary<string, string[]>(paths.Count, paths.Comparer);
        foreach (var (key, list) in paths) built[key] = [.. list];
        return new(built, ImmutableDictionary.Create<string, ImmutableSortedSet<string>>((StringComparer)paths.Comparer));
    }

    public IReadOnlyCollection<string> this[string key] =>
        _edited.TryGetValue(key, out var set) ? set : _built.TryGetValue(key, out var paths) ? paths : [];

    /// <summary>The keys that have paths.</summary>
    public IEnumerable<string> Keys =>
        _built.Keys.Where(k => !_edited.ContainsKey(k)).Concat(_edited.Where(p => p.Value.Count > 0).Select(p => p.Key));

    public PathIndex Add(string key, string path) => With(key, Current(key).Add(path));

    public PathIndex Remove(string key, string path) => With(key, Current(key).Remove(path));

    private PathIndex With(string key, ImmutableSortedSet<string> paths) =>
        _edited.TryGetValue(key, out var was) && ReferenceEquals(was, paths) ? this : new(_built, _edited.SetItem(key, paths));

    private ImmutableSortedSet<string> Current(string key) =>
        _edited.TryGetValue(key, out var set) ? set
        : ImmutableSortedSet.CreateRange(StringComparer.Ordinal, _built.TryGetValue(key, out var paths) ? paths : []);
}
