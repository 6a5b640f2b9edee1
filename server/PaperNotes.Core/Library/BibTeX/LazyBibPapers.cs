using System.Collections;
using System.Collections.Concurrent;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>A paper list whose keys and spans are known without decoding the papers (see <see cref="LibraryFile.KeyAt"/>).</summary>
internal interface IKeyedPapers : IReadOnlyList<Paper>
{
    string KeyAt(int index);
    TextSpan KeySpanAt(int index);
    TextSpan EntrySpanAt(int index);
    /// <summary>Decodes every paper not decoded yet (on all cores for big files).</summary>
    void DecodeAll();
}

/// <summary>Decoding errors join the scan's errors once every paper is decoded, sorted as the eager parser sorts them.</summary>
internal sealed class LazyLibraryErrors(List<LibraryError> scanErrors, LazyBibPapers papers) : IReadOnlyList<LibraryError>
{
    /// <summary>The scan's own errors (sorted), without decoding anything.</summary>
    public IReadOnlyList<LibraryError> ScanErrors => scanErrors;

    private readonly Lazy<LibraryError[]> _all = new(() =>
    {
        papers.DecodeAll();
        var all = new List<LibraryError>(scanErrors);
        all.AddRange(papers.DecodeErrors);
        all.Sort(BibParser.ErrorOrder);
        return [.. all];
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public LibraryError this[int index] => _all.Value[index];
    public int Count => _all.Value.Length;
    public IEnumerator<LibraryError> GetEnumerator() => ((IEnumerable<LibraryError>)_all.Value).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Reads one paper's abstract again from its file's text, when asked for.</summary>
/// <param name="value">Where the abstract's LaTeX is in the file's text, when it is one braced or quoted value (not
/// joined with '#' or a macro): read back without reading the entry again. Default: read the entry again.</param>
internal sealed class EntryAbstract(LazyBibPapers file, int index, TextSpan value)
{
    public string? Read() => file.ReadAbstract(index, value);
    /// <summary>The papers whose text it reads (which that keeps alive).</summary>
    public LazyBibPapers File => file;
    public TextSpan Value => value;
}

/// <summary>
/// The papers of a BibTeX file after a keys-only scan: each entry is re-read and decoded into a
/// <see cref="Paper"/> on first access, at most once (a lock per stripe of entries), on any thread.
/// Enumerating decodes everything first, in parallel. The papers keep no abstracts: the file's text (compressed when it
/// was streamed from disk) is kept, and an abstract is read again from it when asked for.
/// </summary>
internal sealed class LazyBibPapers : IKeyedPapers
{
    private const int ParallelThreshold = 4096;
    private readonly string _path;
    private readonly ScannedEntry[] _entries;
    private readonly MacroTable _macros;
    private readonly Dictionary<string, string> _names;
    private readonly Paper?[] _papers;
    private readonly object[] _locks;
    private readonly BibEntryMapper.Pools _pools = new();
    private readonly ConcurrentQueue<LibraryError> _decodeErrors = new();
    private readonly SourceText _text;
    // The text last read back for an abstract: reading a run of them (building the search index) decompresses each block once.
    private TextWindow? _abstractWindow;

    private sealed record TextWindow(string Text, int Base);
    private int _decoded;
    private readonly bool[] _hadErrors;
    // The version of this file this one replaced (a reference manager's rewrite): its decoded papers are reused for
    // entries whose text and macros are unchanged. Dropped once everything is decoded.
    private LazyBibPapers? _previous;
    private Dictionary<string, int>? _previousByKey;
    // Who this file is (a token, so that a file that replaces it can name it without keeping it), which file it
    // replaced, and for each entry taken from that file unchanged, its index there (else -1): the search index of the
    // replaced file's set is carried over for those (SearchIndex.Updated). Kept after _previous is dropped.
    private readonly object _identity = new();
    private readonly object? _replaced;
    private readonly int[]? _reusedFrom;

    /// <param name="previous">The papers of the file this one replaces, if any (see <see cref="Reused"/>).</param>
    /// <param name="previousKeys">That file's <see cref="KeyIndex"/>, when the scan had it made already.</param>
    public LazyBibPapers(string path, SourceText text, ScannedEntry[] entries, MacroTable macros, Dictionary<string, string> names,
        LazyBibPapers? previous = null, Dictionary<string, int>? previousKeys = null)
    {
        _hadErrors = new bool[entries.Length];
        if (previous is not null && previous._path == path && macros.SameDefinitionsAs(previous._macros) && entries.Length > 0)
        {
            _previous = previous;
            _replaced = previous._identity;
            _reusedFrom = new int[entries.Length];
            Array.Fill(_reusedFrom, -1);
            _previousByKey = previousKeys ?? previous.KeyIndex(path);
        }
        _path = path;
        _text = text;
        _entries = entries;
        _macros = macros;
        _names = names;
        _papers = new Paper?[entries.Length];
        _locks = new object[Math.Min(64, Math.Max(1, entries.Length))];
        for (int i = 0; i < _locks.Length; i++) _locks[i] = new object();
    }

    /// <summary>Each key's entry (the first, for a key defined twice), for a file of <paramref name="path"/> that replaces
    /// this one; null for a file of another path.</summary>
    internal Dictionary<string, int>? KeyIndex(string path)
    {
        if (_path != path) return null;
        var byKey = new Dictionary<string, int>(_entries.Length, StringComparer.Ordinal);
        for (int i = 0; i < _entries.Length; i++) byKey.TryAdd(_entries[i].Key, i);
        return byKey;
    }

    /// <summary>The abstract of entry <paramref name="index"/>, decoded again from the text.</summary>
    internal string? ReadAbstract(int index, TextSpan value)
    {
        var scanned = _entries[index];
        var (start, end) = value.Length > 0 ? (value.Start, value.End) : NeededFor(scanned, _text.Length);
        var window = Volatile.Read(ref _abstractWindow);
        if (window is null || start < window.Base || end > window.Base + window.Text.Length)
        {
            var (text, @base) = _text.WindowOver(start, end);
            Volatile.Write(ref _abstractWindow, window = new TextWindow(text, @base));
        }
        if (value.Length > 0) return BibEntryMapper.AbstractOf(new BibValue(window.Text, value.Start - window.Base, value.Length));
        var raw = BibReader.ForEntry(window.Text, window.Base, _macros, _names).ReadEntryAt(scanned.EntrySpan.Start, scanned.Key);
        return raw is null ? null : BibEntryMapper.AbstractOf(raw);
    }

    public int Count => _entries.Length;
    // What a warm start saves and restores (LibraryImage).
    internal string Path => _path;
    internal SourceText Text => _text;
    internal ScannedEntry[] Entries => _entries;
    internal MacroTable Macros => _macros;
    internal Dictionary<string, string> Names => _names;
    public string KeyAt(int index) => _entries[index].Key;
    public TextSpan KeySpanAt(int index) => _entries[index].KeySpan;
    public TextSpan EntrySpanAt(int index) => _entries[index].EntrySpan;
    public IEnumerable<LibraryError> DecodeErrors => _decodeErrors;

    /// <summary>The index in <paramref name="replaced"/> of the entry that entry <paramref name="index"/> was taken from
    /// unchanged (the same text and macros, so the same paper), or -1: when it changed, is new, or
    /// <paramref name="replaced"/> is not the file this one replaced. Decodes the entry if it is not yet.</summary>
    public int ReusedFrom(LazyBibPapers replaced, int index)
    {
        if (_reusedFrom is null || !ReferenceEquals(_replaced, replaced._identity)) return -1;
        _ = this[index];
        return Volatile.Read(ref _reusedFrom[index]);
    }

    /// <summary>How many papers were taken from the replaced file rather than decoded again.</summary>
    public int Reused => _reused;
    private int _reused;

    public Paper this[int index]
    {
        get
        {
            var paper = Volatile.Read(ref _papers[index]);
            return paper ?? Decode(index, null);
        }
    }

    public void DecodeAll()
    {
        if (Volatile.Read(ref _decoded) == _entries.Length) return;
        // A first read's text may still be compressing (CompressingText): every paper decoded beside its bytes would
        // hold both at once, and take the core that compresses them. One paper at a time (a hover) does not wait.
        _text.Settled.Wait();
        if (_entries.Length < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            DecodeRange(0, _entries.Length);
            return;
        }
        Parallel.ForEach(Partitioner.Create(0, _entries.Length, 2048), range => DecodeRange(range.Item1, range.Item2));
    }

    public IEnumerator<Paper> GetEnumerator()
    {
        DecodeAll();
        for (int i = 0; i < _papers.Length; i++) yield return _papers[i]!;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The index of <paramref name="paper"/> among the entries (by where its entry starts), or -1 when it is not
    /// one of this file's.</summary>
    public int IndexOf(Paper paper)
    {
        int lo = 0, hi = _entries.Length - 1, start = paper.EntrySpan.Start;
        while (lo <= hi)
        {
            int mid = lo + (hi - lo) / 2, at = _entries[mid].EntrySpan.Start;
            if (at == start) return _entries[mid].Key == paper.Key && _entries[mid].EntrySpan == paper.EntrySpan ? mid : -1;
            if (at < start) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>Entry <paramref name="index"/> read again, undecoded, from a window of the text over its span (for the CSL
    /// view, which maps raw fields as pandoc does); null when it reads differently from what the scan found. Pass the same
    /// <paramref name="window"/> for a run of entries in source order: each block of a compressed text is decompressed
    /// once. The entry's values point into the window's text.</summary>
    public RawEntry? ReadRaw(int index, EntryWindow window)
    {
        var scanned = _entries[index];
        var raw = ReaderOver(window, scanned).ReadEntryAt(scanned.EntrySpan.Start, scanned.Key);
        return raw is not null && ReferenceEquals(raw.Key, scanned.Key) && raw.EntrySpan == scanned.EntrySpan ? raw : null;
    }

    /// <summary>Moves <paramref name="window"/> over what a re-read of the entry looks at, unless it holds that already.</summary>
    private void MoveOver(EntryWindow window, ScannedEntry scanned)
    {
        var (start, end) = NeededFor(scanned, _text.Length);
        if (window.Text is null || start < window.Base || end > window.Base + window.Text.Length)
        {
            (window.Text, window.Base) = _text.WindowOver(start, end);
            window.Reader = null;
        }
    }

    /// <summary>The window's reader (made on first use), moved over the entry first.</summary>
    private BibReader ReaderOver(EntryWindow window, ScannedEntry scanned)
    {
        MoveOver(window, scanned);
        return window.Reader ??= BibReader.ForEntry(window.Text!, window.Base, _macros, _names);
    }

    /// <summary>One window of text for a whole run of entries (a compressed text decompresses each block once).</summary>
    private void DecodeRange(int from, int to)
    {
        var window = new EntryWindow();
        for (int i = from; i < to; i++)
        {
            if (Volatile.Read(ref _papers[i]) is not null) continue;
            Decode(i, window);
        }
    }

    /// <summary>The text last decoded for a run of entries and the reader over it: reused while the next entry lies inside.</summary>
    internal sealed class EntryWindow
    {
        public string? Text;
        public int Base;
        public BibReader? Reader;
    }

    /// <summary>The text a re-read of the entry looks at: its own, what the scan read after it (a broken entry's end is
    /// before that), and a little more for lookahead such as "is this '@' an entry start?".</summary>
    private (int Start, int End) NeededFor(ScannedEntry scanned, int length) =>
        (scanned.EntrySpan.Start, (int)Math.Min(length, Math.Max(scanned.EntrySpan.End, scanned.ScanEnd) + 256L));

    private Paper Decode(int index, EntryWindow? window)
    {
        lock (_locks[index % _locks.Length])
        {
            var paper = _papers[index];
            if (paper is not null) return paper;
            var scanned = _entries[index];
            var errors = new List<LibraryError>(0);
            try
            {
                // An unchanged entry (by the hash its scan took) is not read again: its text is not even decompressed.
                paper = ReuseFromPrevious(index, scanned, out int from);
                if (paper is not null)
                {
                    Interlocked.Increment(ref _reused);
                    _reusedFrom![index] = from;
                }
                else
                {
                    window ??= new EntryWindow();
                    var raw = ReaderOver(window, scanned).ReadEntryAt(scanned.EntrySpan.Start, scanned.Key);
                    paper = raw is not null && ReferenceEquals(raw.Key, scanned.Key) && raw.EntrySpan == scanned.EntrySpan
                        ? BibEntryMapper.MapLeavingAbstract(raw, _path, errors, _pools, new EntryAbstract(this, index, ValueSpan(raw, window)))
                        : Fallback(scanned, errors, "the entry read differently the second time");
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Parsers never fail: a bug here must not take the server down; report it where it happened.
                paper = Fallback(scanned, errors, ex.Message);
            }
            foreach (var e in errors) _decodeErrors.Enqueue(e);
            _hadErrors[index] = errors.Count > 0;
            Volatile.Write(ref _papers[index], paper);
            if (Interlocked.Increment(ref _decoded) == _entries.Length)
            {
                _previous = null;
                _previousByKey = null;
            }
            return paper;
        }
    }

    /// <summary>The replaced file's paper for this entry when it reads the same: same key, same text (length and the
    /// scan's 64-bit hash), as many macro definitions before it (the tables are alike, checked once), decoded there
    /// without errors. Its spans are moved to where the entry is now.</summary>
    private Paper? ReuseFromPrevious(int index, ScannedEntry scanned, out int from)
    {
        from = -1;
        if (_previous is not { } previous || _previousByKey is not { } byKey || !byKey.TryGetValue(scanned.Key, out int j)) return null;
        var old = Volatile.Read(ref previous._papers[j]);
        // A paper is published after its errors: non-null means they are known. An entry that had decoding errors is
        // decoded again, so that they are reported for this file too.
        if (old is null || previous._hadErrors[j]) return null;
        var was = previous._entries[j];
        if (was.EntrySpan.Length != scanned.EntrySpan.Length || was.Hash != scanned.Hash
            || previous._macros.DefinitionsBefore(was.EntrySpan.Start) != _macros.DefinitionsBefore(scanned.EntrySpan.Start))
            return null;
        from = j;
        // The abstract is read from this file's text from now on: the replaced file's text can go.
        return old with
        {
            KeySpan = scanned.KeySpan, EntrySpan = scanned.EntrySpan,
            // Same text: the value moved with the entry.
            AbstractSource = old.AbstractSource is null ? null : new EntryAbstract(this, index, old.AbstractSource.Value.Length == 0 ? default
                : new TextSpan(old.AbstractSource.Value.Start - was.EntrySpan.Start + scanned.EntrySpan.Start, old.AbstractSource.Value.Length)),
        };
    }

    /// <summary>Where the entry's abstract value is in the whole text, when it is a slice of it (default otherwise).</summary>
    private static TextSpan ValueSpan(RawEntry raw, EntryWindow window) =>
        raw.Get("abstract") is { } v && ReferenceEquals(v.Source, window.Text) && v.Length > 0 ? new TextSpan(window.Base + v.Start, v.Length) : default;

    private Paper Fallback(ScannedEntry scanned, List<LibraryError> errors, string why)
    {
        errors.Add(new LibraryError(scanned.EntrySpan, $"internal error while reading the entry: {why}"));
        return new Paper { Key = scanned.Key, SourcePath = _path, KeySpan = scanned.KeySpan, EntrySpan = scanned.EntrySpan };
    }
}
