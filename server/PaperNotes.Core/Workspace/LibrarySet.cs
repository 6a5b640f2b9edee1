using PaperNotes.Core.Diagnostics;
using PaperNotes.Core.Library;
using PaperNotes.Core.Search;

namespace PaperNotes.Core.Workspace;

/// <summary>
/// Every library file of the workspace and the key index over them. Immutable: a changed file gives a new
/// set (rebuilding the key index is linear and rare; notes change far more often and live in NoteSet).
/// When a key is defined more than once, the first definition in path order wins.
/// </summary>
public sealed class LibrarySet
{
    public static readonly LibrarySet Empty = new(new Dictionary<string, LibraryFile>());

    private readonly Dictionary<string, LibraryFile> _files;
    private readonly Dictionary<string, Paper> _winners;
    private readonly Dictionary<string, List<Paper>> _duplicates;
    private readonly Lazy<SearchIndex> _search;
    private readonly Lazy<KeySuggester> _suggester;

    public IReadOnlyDictionary<string, LibraryFile> Files => _files;

    /// <summary>Files in path order: the order that decides which duplicate wins.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The winning definition of every key, in path then source order.</summary>
    public IReadOnlyList<Paper> Papers { get; }

    /// <summary>Search over <see cref="Papers"/>, built on first use (or ahead of time by <see cref="WarmUp"/>).</summary>
    public SearchIndex Search => _search.Value;

    /// <summary>"Did you mean" over every key, built on first use.</summary>
    public KeySuggester Suggester => _suggester.Value;

    private LibrarySet(Dictionary<string, LibraryFile> files)
    {
        _files = files;
        Paths = files.Keys.Order(StringComparer.Ordinal).ToArray();
        int total = files.Values.Sum(f => f.Papers.Count);
        _winners = new Dictionary<string, Paper>(total, StringComparer.Ordinal);
        _duplicates = new Dictionary<string, List<Paper>>(StringComparer.Ordinal);
        var papers = new List<Paper>(total);
        foreach (var path in Paths)
        {
            foreach (var paper in files[path].Papers)
            {
                if (_winners.TryAdd(paper.Key, paper))
                {
                    papers.Add(paper);
                    continue;
                }
                if (!_duplicates.TryGetValue(paper.Key, out var all))
                    _duplicates[paper.Key] = all = [_winners[paper.Key]];
                all.Add(paper);
            }
        }
        Papers = papers;
        _search = new Lazy<SearchIndex>(() => new SearchIndex(Papers), LazyThreadSafetyMode.ExecutionAndPublication);
        _suggester = new Lazy<KeySuggester>(() => new KeySuggester(_winners.Keys), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static LibrarySet Create(IEnumerable<LibraryFile> files) =>
        new(files.ToDictionary(f => f.Path, StringComparer.Ordinal));

    public LibrarySet With(LibraryFile file)
    {
        var files = new Dictionary<string, LibraryFile>(_files, StringComparer.Ordinal) { [file.Path] = file };
        return new LibrarySet(files);
    }

    public LibrarySet Without(string path)
    {
        if (!_files.ContainsKey(path)) return this;
        var files = new Dictionary<string, LibraryFile>(_files, StringComparer.Ordinal);
        files.Remove(path);
        return new LibrarySet(files);
    }

    public Paper? Find(string key) => _winners.GetValueOrDefault(key);

    public bool Contains(string key) => _winners.ContainsKey(key);

    /// <summary>Every definition of a key defined more than once (winner first), else empty.</summary>
    public IReadOnlyList<Paper> DefinitionsOf(string key) =>
        _duplicates.TryGetValue(key, out var all) ? all : _winners.TryGetValue(key, out var one) ? [one] : [];

    public IEnumerable<KeyValuePair<string, List<Paper>>> Duplicates => _duplicates;

    public IEnumerable<string> Keys => _winners.Keys;

    /// <summary>Builds the search index now (call off the request path after loading).</summary>
    public void WarmUp() => _ = _search.Value;
}
