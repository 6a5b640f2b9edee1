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
    private readonly Dictionary<string, int> _winners; // key -> its winner's id: its place in _refs and in the search index
    private readonly Dictionary<string, List<PaperRef>> _duplicates;
    private readonly Lazy<SearchIndex> _search;
    private readonly PaperRef[] _refs; // the winners, in order: Papers
    // Reads this set's index back from an image (a warm start): the first use of _search calls it instead of building.
    private Func<SearchIndex?>? _image;
    private readonly Lazy<KeySuggester> _suggester;
    // Until the suggester's index is built, for a large set only; then dropped.
    private volatile Lazy<ScanKeySuggester>? _scan;
    private int _buildingSuggester;
    // The replaced set's "did you mean" index (or the one it would have carried over), until this set's is made from it.
    private KeySuggester? _suggesterFrom;

    /// <summary>The index a set replacing this one carries its "did you mean" over from.</summary>
    private KeySuggester? SuggesterToCarry => _suggester.IsValueCreated ? _suggester.Value : Volatile.Read(ref _suggesterFrom);

    public IReadOnlyDictionary<string, LibraryFile> Files => _files;

    /// <summary>Files in path order: the order that decides which duplicate wins.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The winning definition of every key, in path then source order.</summary>
    public IReadOnlyList<Paper> Papers { get; }

    /// <summary>From this many papers, a changed set answers search from the index it replaced while its own is built
    /// in the background (about 1 s per 100,000 papers): completion must not freeze on every reference-manager export.</summary>
    public const int SearchInBackgroundFrom = 10_000;

    // The replaced set's index, until this set's own is built; then dropped, so the old papers can go.
    private volatile SearchIndex? _previousSearch;
    // The set this one replaced, until this one's index exists: its index is carried over to this set's papers, the
    // unchanged ones kept, rather than built anew (SearchIndex.Updated).
    private LibrarySet? _replaced;
    private Task? _build;

    /// <summary>Search over <see cref="Papers"/>, built on first use (or ahead of time by <see cref="WarmUp"/>); for a
    /// large changed set, the previous index until this one is ready (see <see cref="SearchInBackgroundFrom"/>).</summary>
    public SearchIndex Search
    {
        get
        {
            if (_search.IsValueCreated || _previousSearch is not { } previous || Papers.Count < SearchInBackgroundFrom) return _search.Value;
            BuildSearchInBackground();
            return previous;
        }
    }

    /// <summary>Whether <see cref="Search"/> answers from this set's own index.</summary>
    public bool SearchReady => _search.IsValueCreated;

    /// <summary>From this many keys, "did you mean" answers by a scan while its index is built in the background (the
    /// index takes 0.1–0.3 s per 100,000 keys and 3–6 s for 1,000,000, the scan a tenth): a folder's first diagnostics must not wait for it.</summary>
    public const int SuggestInBackgroundFrom = 10_000;

    /// <summary>Up to three keys close to <paramref name="unknown"/> (see <see cref="KeySuggester"/>): from the index, built
    /// on first use; for a set of <see cref="SuggestInBackgroundFrom"/> keys or more, from a scan (the same answers) until
    /// the index, started by the first call, is built in the background.</summary>
    public IReadOnlyList<string> SuggestKeys(string unknown)
    {
        if (_suggester.IsValueCreated || _scan is not { } scan) return _suggester.Value.Suggest(unknown);
        if (Interlocked.Exchange(ref _buildingSuggester, 1) == 0) Task.Run(() => Suggester);
        return scan.Value.Suggest(unknown);
    }

    /// <summary>The "did you mean" index, built now if it is not yet (diagnostics use <see cref="SuggestKeys"/>, which never waits for it).</summary>
    public KeySuggester Suggester
    {
        get
        {
            var suggester = _suggester.Value;
            _scan = null;
            return suggester;
        }
    }

    private LibrarySet(Dictionary<string, LibraryFile> files)
    {
        _files = files;
        Paths = files.Keys.Order(StringComparer.Ordinal).ToArray();
        int total = files.Values.Sum(f => f.Papers.Count);
        _winners = new Dictionary<string, int>(total, StringComparer.Ordinal);
        _duplicates = new Dictionary<string, List<PaperRef>>(StringComparer.Ordinal);
        var papers = new List<PaperRef>(total);
        // Keys only: a lazily decoded library stays undecoded here.
        foreach (var path in Paths)
        {
            var file = files[path];
            for (int i = 0, n = file.Papers.Count; i < n; i++)
            {
                var key = file.KeyAt(i);
                var paper = new PaperRef(file, i);
                if (_winners.TryAdd(key, papers.Count))
                {
                    papers.Add(paper);
                    continue;
                }
                if (!_duplicates.TryGetValue(key, out var all))
                    _duplicates[key] = all = [papers[_winners[key]]];
                all.Add(paper);
            }
        }
        _refs = [.. papers];
        Papers = new PaperList(_refs);
        _search = new Lazy<SearchIndex>(() => FromImage() ?? FromReplaced() ?? new SearchIndex(Papers), LazyThreadSafetyMode.ExecutionAndPublication);
        ContentKey = KeyOf(Paths, files);
        _suggester = new Lazy<KeySuggester>(() =>
        {
            var from = Interlocked.Exchange(ref _suggesterFrom, null);
            return from is null ? new KeySuggester(_winners.Keys) : from.Updated(_winners.Keys);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        if (_winners.Count >= SuggestInBackgroundFrom)
            _scan = new Lazy<ScanKeySuggester>(() => new ScanKeySuggester(_winners.Keys), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What the set holds, as one hash: its files' paths and content hashes, in path order; null when some
    /// file's content is not known by hash (an editor's text). Equal keys mean equal papers in equal order.</summary>
    public ulong? ContentKey { get; }

    private static ulong? KeyOf(IReadOnlyList<string> paths, Dictionary<string, LibraryFile> files)
    {
        var hash = new System.IO.Hashing.XxHash3();
        Span<byte> number = stackalloc byte[8];
        foreach (var path in paths)
        {
            if (files[path].ContentHash is not { } content) return null;
            hash.Append(System.Text.Encoding.UTF8.GetBytes(path));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(number, content);
            hash.Append(number);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>Where this set's search index can be read back from (an image of it, a warm start): whoever first needs
    /// the index (the background warm-up, or a completion that came first) reads it instead of building one, and builds
    /// only when it gives none (or one over another number of papers). A set whose index exists already ignores it.</summary>
    public void SearchFrom(Func<SearchIndex?> readImage)
    {
        if (!_search.IsValueCreated) Volatile.Write(ref _image, readImage);
    }

    /// <summary>Whether <see cref="Search"/> answers from an index read back from an image (nothing to write again).</summary>
    public bool SearchFromImage { get; private set; }

    private SearchIndex? FromImage()
    {
        if (Interlocked.Exchange(ref _image, null)?.Invoke() is not { } index || index.Count != Papers.Count) return null;
        SearchFromImage = true;
        return index;
    }

    /// <summary>Whether the set's index exists or can be had without building it whole: read back, or carried over.</summary>
    private bool HasIndexToCarry => _search.IsValueCreated || Volatile.Read(ref _image) is not null || Volatile.Read(ref _replaced) is { HasIndexToCarry: true };

    /// <summary>The replaced set's index (its own, or carried over in turn) carried over to this set's papers; null when
    /// there is none to carry, or too much changed (<see cref="SearchIndex.Updated"/>).</summary>
    private SearchIndex? FromReplaced()
    {
        if (Interlocked.Exchange(ref _replaced, null) is not { HasIndexToCarry: true } replaced) return null;
        var previous = replaced._search.Value;
        return previous.Updated(Papers, IdsIn(replaced));
    }

    /// <summary>For each of this set's papers, its id in <paramref name="replaced"/> when it is the same paper there (the
    /// same file, or the entry taken unchanged from the file it replaced, and the winner of its key there too), else -1.</summary>
    private int[] IdsIn(LibrarySet replaced)
    {
        // Each old file's entries, by index: their id in the replaced set (-1: a duplicate that lost).
        var oldIds = new Dictionary<LibraryFile, int[]>(ReferenceEqualityComparer.Instance);
        foreach (var file in replaced._files.Values)
        {
            var ids = new int[file.Papers.Count];
            Array.Fill(ids, -1);
            oldIds[file] = ids;
        }
        for (int id = 0; id < replaced._refs.Length; id++) oldIds[replaced._refs[id].File][replaced._refs[id].Index] = id;
        var result = new int[_refs.Length];
        for (int i = 0; i < _refs.Length; i++)
        {
            var (file, index) = _refs[i];
            int from = replaced._files.TryGetValue(file.Path, out var old) ? file.UnchangedFrom(old, index) : -1;
            result[i] = from >= 0 ? oldIds[old!][from] : -1;
        }
        return result;
    }

    public static LibrarySet Create(IEnumerable<LibraryFile> files) =>
        new(files.ToDictionary(f => f.Path, StringComparer.Ordinal));

    public LibrarySet With(LibraryFile file)
    {
        var files = new Dictionary<string, LibraryFile>(_files, StringComparer.Ordinal) { [file.Path] = file };
        return new LibrarySet(files) { _previousSearch = CurrentSearch, _replaced = this, _suggesterFrom = SuggesterToCarry };
    }

    public LibrarySet Without(string path)
    {
        if (!_files.ContainsKey(path)) return this;
        var files = new Dictionary<string, LibraryFile>(_files, StringComparer.Ordinal);
        files.Remove(path);
        return new LibrarySet(files) { _previousSearch = CurrentSearch, _replaced = this, _suggesterFrom = SuggesterToCarry };
    }

    /// <summary>The index search answers from right now, without building one.</summary>
    private SearchIndex? CurrentSearch => _search.IsValueCreated ? _search.Value : _previousSearch;

    public Paper? Find(string key) => _winners.TryGetValue(key, out int id) ? _refs[id].Paper : null;

    /// <summary>The title and short who-and-when (<see cref="Features.PaperMarkdown.Short"/>) of the paper
    /// <paramref name="key"/> resolves to: from this set's search index once it is built, decoding nothing (inlay hints
    /// show them for every citation in view), else from the paper. False for a key the set does not define.</summary>
    public bool TryLabels(string key, out string? title, out string who)
    {
        title = null;
        who = "";
        if (!_winners.TryGetValue(key, out int id)) return false;
        if (_search.IsValueCreated && _search.Value.TryLabels(id, out title, out who)) return true;
        (title, who) = HitLabels.Of(_refs[id].Paper);
        return true;
    }

    public bool Contains(string key) => _winners.ContainsKey(key);

    /// <summary>Whether this set defines exactly the keys <paramref name="other"/> does, as a rewrite that changed only
    /// entries' fields leaves them: then no note resolves a citation or a link differently.</summary>
    public bool SameKeysAs(LibrarySet other)
    {
        if (_winners.Count != other._winners.Count) return false;
        foreach (var key in _winners.Keys)
            if (!other._winners.ContainsKey(key)) return false;
        return true;
    }

    /// <summary>Every definition of a key defined more than once (winner first), else empty.</summary>
    public IReadOnlyList<Paper> DefinitionsOf(string key) =>
        _duplicates.TryGetValue(key, out var all) ? all.ConvertAll(r => r.Paper) : _winners.TryGetValue(key, out int one) ? [_refs[one].Paper] : [];

    /// <summary>Whether entry <paramref name="index"/> of <paramref name="file"/> is the definition its key resolves to.</summary>
    public bool IsWinner(LibraryFile file, int index) =>
        _winners.TryGetValue(file.KeyAt(index), out int id) && ReferenceEquals(_refs[id].File, file) && _refs[id].Index == index;

    /// <summary>Whether the key is defined more than once, without decoding any paper.</summary>
    public bool IsDuplicate(string key) => _duplicates.ContainsKey(key);

    public IEnumerable<KeyValuePair<string, List<Paper>>> Duplicates =>
        _duplicates.Select(d => new KeyValuePair<string, List<Paper>>(d.Key, d.Value.ConvertAll(r => r.Paper)));

    public IEnumerable<string> Keys => _winners.Keys;

    /// <summary>Starts building the search index on the thread pool, once, and returns at once: whoever asks first (a
    /// search answered from the replaced index, the server after a change) starts it, and nobody waits on it.</summary>
    /// <returns>The build, the same for every caller (done when the index is).</returns>
    public Task BuildSearchInBackground()
    {
        if (_search.IsValueCreated) return Task.CompletedTask;
        if (Volatile.Read(ref _build) is { } started) return started;
        var build = new Task(WarmUp);
        if (Interlocked.CompareExchange(ref _build, build, null) is { } other) return other;
        build.Start(TaskScheduler.Default);
        return build;
    }

    /// <summary>Builds the search index now (call off the request path after loading).</summary>
    public void WarmUp()
    {
        _ = _search.Value;
        _previousSearch = null;
        _replaced = null;
    }

    /// <summary>Paper <see cref="Index"/> of a file: decoded (if the file decodes lazily) only when asked for.</summary>
    private readonly record struct PaperRef(LibraryFile File, int Index)
    {
        public Paper Paper => File.Papers[Index];
    }

    /// <summary>The winners, in order. By index, a paper is decoded (if its file decodes lazily) and kept; enumerating
    /// (the search index's build) is each file's pass, which keeps none it decodes.</summary>
    private sealed class PaperList(PaperRef[] refs) : IReadOnlyList<Paper>, IPaperKeys
    {
        public Paper this[int index] => refs[index].Paper;
        public int Count => refs.Length;
        public string KeyAt(int index) => refs[index].File.KeyAt(refs[index].Index);

        public IEnumerator<Paper> GetEnumerator()
        {
            // The refs are in file order, then entry order: each file's run of winners is read from its pass.
            int at = 0;
            while (at < refs.Length)
            {
                var file = refs[at].File;
                int index = 0, first = at;
                foreach (var paper in file.Papers)
                {
                    if (at == refs.Length || !ReferenceEquals(refs[at].File, file)) break;
                    if (refs[at].Index == index++) { yield return paper; at++; }
                }
                if (at == first) throw new InvalidOperationException($"{file.Path}: its pass gave none of its papers");
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
