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
    /// <summary>Learns every entry's decoding errors: decodes (on all cores for big files, keeping no paper) each entry
    /// whose errors are not known yet and that was not taken unchanged from an entry known to have none.</summary>
    void LearnErrors();
}

/// <summary>Decoding errors join the scan's errors once every paper is decoded, sorted as the eager parser sorts them.</summary>
internal sealed class LazyLibraryErrors(List<LibraryError> scanErrors, LazyBibPapers papers) : IReadOnlyList<LibraryError>
{
    /// <summary>The scan's own errors (sorted), without decoding anything.</summary>
    public IReadOnlyList<LibraryError> ScanErrors => scanErrors;

    private readonly Lazy<LibraryError[]> _all = new(() =>
    {
        papers.LearnErrors();
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
/// The papers of a BibTeX file after a keys-only scan: each entry is re-read and decoded into a <see cref="Paper"/>
/// when asked for by index, at most once (a lock per stripe of entries), on any thread, and kept.
/// Passes over every paper (enumerating: the search index's build, symbols; <see cref="LearnErrors"/>) keep nothing:
/// a million decoded papers are most of a library's memory (about 750 bytes each without their abstracts), and a pass
/// needs each one once. The papers keep no abstracts either: the file's text (compressed when it was streamed from
/// disk) is kept, and an abstract is read again from it when asked for.
/// </summary>
internal sealed class LazyBibPapers : IKeyedPapers
{
    private const int ParallelThreshold = 4096;
    // A pass decodes this many papers at a time on all cores, then hands them out in order.
    private const int PassBatch = 8192;
    private const byte ErrorsUnknown = 0, NoErrors = 1, HadErrors = 2;
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
    // Per entry, whether its decoding errors are known (and whether it had any), and how many are known: each entry's
    // errors are reported once, by whichever decoding came first.
    private readonly byte[] _errors;
    private int _errorsKnown;
    // The version of this file this one replaced (a reference manager's rewrite): its kept papers are reused for entries
    // whose text and macros are unchanged, and its known errors spare decoding them again. Dropped once every entry's
    // errors are known.
    private LazyBibPapers? _previous;
    private Dictionary<string, int>? _previousByKey;
    // Who this file is (a token, so that a file that replaces it can name it without keeping it), which file it
    // replaced, and for each entry the index of the entry there it is unchanged from (else -1), made once, from the
    // keys and the scan's hashes: the search index of the replaced file's set is carried over for those
    // (SearchIndex.Updated). Kept after _previous is dropped.
    private readonly object _identity = new();
    private readonly object? _replaced;
    private int[]? _unchangedFrom;

    /// <param name="previous">The papers of the file this one replaces, if any (see <see cref="Reused"/>).</param>
    /// <param name="previousKeys">That file's <see cref="KeyIndex"/>, when the scan had it made already.</param>
    public LazyBibPapers(string path, SourceText text, ScannedEntry[] entries, MacroTable macros, Dictionary<string, string> names,
        LazyBibPapers? previous = null, Dictionary<string, int>? previousKeys = null)
    {
        _errors = new byte[entries.Length];
        if (previous is not null && previous._path == path && macros.SameDefinitionsAs(previous._macros) && entries.Length > 0)
        {
            _previous = previous;
            _replaced = previous._identity;
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

    /// <summary>The index in <paramref name="replaced"/> of the entry that entry <paramref name="index"/> is unchanged from
    /// (the same key, text and macros, so the same paper), or -1: when it changed, is new, or <paramref name="replaced"/>
    /// is not the file this one replaced. Decodes nothing.</summary>
    public int ReusedFrom(LazyBibPapers replaced, int index) =>
        ReferenceEquals(_replaced, replaced._identity) && UnchangedFrom() is { } from ? from[index] : -1;

    /// <summary>Each entry's unchanged entry in the replaced file (see <see cref="ReusedFrom"/>), made on first use; null
    /// when this file replaced none.</summary>
    private int[]? UnchangedFrom()
    {
        if (_replaced is null) return null;
        if (Volatile.Read(ref _unchangedFrom) is { } made) return made;
        lock (_identity)
        {
            if (_unchangedFrom is not null) return _unchangedFrom;
            // Made before the replaced file is let go (ForgetPrevious), and only then dropped: it is here.
            var previous = _previous!;
            var from = new int[_entries.Length];
            for (int i = 0; i < from.Length; i++) from[i] = UnchangedIndex(previous, i);
            Volatile.Write(ref _unchangedFrom, from);
            return from;
        }
    }

    /// <summary>Entry <paramref name="index"/>'s unchanged entry in <paramref name="previous"/>, or -1: the same key, text
    /// (length and the scan's hash) and number of macro definitions before it (the tables are alike, checked once).</summary>
    private int UnchangedIndex(LazyBibPapers previous, int index)
    {
        var scanned = _entries[index];
        return _previousByKey is { } byKey && byKey.TryGetValue(scanned.Key, out int j) && previous._entries[j] is var was
            && was.EntrySpan.Length == scanned.EntrySpan.Length && was.Hash == scanned.Hash
            && previous._macros.DefinitionsBefore(was.EntrySpan.Start) == _macros.DefinitionsBefore(scanned.EntrySpan.Start)
            ? j : -1;
    }

    /// <summary>How many papers were taken from the replaced file rather than decoded again.</summary>
    public int Reused => _reused;
    private int _reused;

    /// <summary>How many times an entry was read and decoded (a paper passed over twice counts twice).</summary>
    public int Decodes => _decodes;
    private int _decodes;

    /// <summary>How many decoded papers are kept (linear: for tests and benchmarks).</summary>
    public int CountKept() => _papers.Count(p => p is not null);

    /// <summary>Paper <paramref name="index"/>, decoded on first access and kept.</summary>
    public Paper this[int index]
    {
        get
        {
            var paper = Volatile.Read(ref _papers[index]);
            if (paper is not null) return paper;
            lock (_locks[index % _locks.Length])
            {
                if (_papers[index] is { } kept) return kept;
                var window = new EntryWindow();
                paper = Decode(index, window);
                Volatile.Write(ref _papers[index], paper);
                // A paper asked for alone (a hover) is often asked for its abstract next: from the same decompressed text.
                if (window.Text is { } text) Volatile.Write(ref _abstractWindow, new TextWindow(text, window.Base));
                return paper;
            }
        }
    }

    /// <summary>Paper <paramref name="index"/> for a pass: the kept one, else decoded and not kept.</summary>
    private Paper Passing(int index, EntryWindow window)
    {
        var paper = Volatile.Read(ref _papers[index]);
        if (paper is not null) return paper;
        lock (_locks[index % _locks.Length]) return _papers[index] ?? Decode(index, window);
    }

    public void LearnErrors()
    {
        if (Volatile.Read(ref _errorsKnown) < _entries.Length)
        {
            // A first read's text may still be compressing (CompressingText): decoding beside its bytes would take the
            // core that compresses them. One paper at a time (a hover) does not wait.
            _text.Settled.Wait();
            if (_entries.Length < ParallelThreshold || Environment.ProcessorCount < 2) LearnRange(0, _entries.Length);
            else Parallel.ForEach(Partitioner.Create(0, _entries.Length, 2048), range => LearnRange(range.Item1, range.Item2));
        }
        ForgetPrevious();
    }

    private void LearnRange(int from, int to)
    {
        var window = new EntryWindow();
        var unchanged = UnchangedFrom();
        for (int i = from; i < to; i++)
        {
            if (Volatile.Read(ref _errors[i]) != ErrorsUnknown) continue;
            lock (_locks[i % _locks.Length])
            {
                if (_errors[i] != ErrorsUnknown) continue;
                // The same text read with the same macros has the same errors: none, when the replaced file knew it.
                if (unchanged is not null && unchanged[i] >= 0 && _previous is { } previous
                    && Volatile.Read(ref previous._errors[unchanged[i]]) == NoErrors)
                    Learned(i, []);
                else _ = Decode(i, window);
            }
        }
    }

    /// <summary>Once every entry's errors are known, the replaced file is let go (after the map of unchanged entries,
    /// which needs it, is made): its papers and text are not needed any more.</summary>
    private void ForgetPrevious()
    {
        if (Volatile.Read(ref _errorsKnown) < _entries.Length || Volatile.Read(ref _previous) is null) return;
        UnchangedFrom();
        Volatile.Write(ref _previous, null);
        _previousByKey = null;
    }

    /// <summary>Every paper in order, none kept that was not (a pass: the search index's build, symbols). A big file's
    /// are decoded a batch at a time on the thread pool, the next batch while the caller reads this one.</summary>
    public IEnumerator<Paper> GetEnumerator()
    {
        int n = _entries.Length;
        if (n < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            var window = new EntryWindow();
            for (int i = 0; i < n; i++) yield return Passing(i, window);
        }
        else
        {
            _text.Settled.Wait(); // see LearnErrors
            var batch = Batch(0);
            for (int from = 0; from < n; from += PassBatch)
            {
                int next = from + PassBatch;
                var ahead = next < n ? Task.Run(() => Batch(next)) : null;
                foreach (var paper in batch) yield return paper;
                if (ahead is not null) batch = ahead.GetAwaiter().GetResult();
            }
        }
        ForgetPrevious();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The papers of the pass batch from <paramref name="from"/>, decoded on all cores that are free.</summary>
    private Paper[] Batch(int from)
    {
        int to = Math.Min(_entries.Length, from + PassBatch);
        var batch = new Paper[to - from];
        Parallel.ForEach(Partitioner.Create(from, to, 2048), range =>
        {
            var window = new EntryWindow();
            for (int i = range.Item1; i < range.Item2; i++) batch[i - from] = Passing(i, window);
        });
        return batch;
    }

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

    /// <summary>Decodes entry <paramref name="index"/> (the caller holds its stripe's lock), reporting its errors if they
    /// are not known yet; the caller keeps the paper or not.</summary>
    private Paper Decode(int index, EntryWindow? window)
    {
        var scanned = _entries[index];
        var errors = new List<LibraryError>(0);
        Paper paper;
        try
        {
            // An unchanged entry (by the hash its scan took) whose paper the replaced file kept is not read again.
            if (ReuseFromPrevious(index, scanned) is { } reused)
            {
                paper = reused;
                Interlocked.Increment(ref _reused);
            }
            else
            {
                Interlocked.Increment(ref _decodes);
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
        if (_errors[index] == ErrorsUnknown) Learned(index, errors);
        return paper;
    }

    /// <summary>Reports entry <paramref name="index"/>'s errors (the caller holds its stripe's lock; once per entry).</summary>
    private void Learned(int index, List<LibraryError> errors)
    {
        foreach (var e in errors) _decodeErrors.Enqueue(e);
        Volatile.Write(ref _errors[index], errors.Count > 0 ? HadErrors : NoErrors);
        Interlocked.Increment(ref _errorsKnown);
    }

    /// <summary>The replaced file's kept paper for this entry when it reads the same (see <see cref="ReusedFrom"/>) and
    /// was decoded there without errors. Its spans are moved to where the entry is now.</summary>
    private Paper? ReuseFromPrevious(int index, ScannedEntry scanned)
    {
        // One entry asked for (a hover right after a reload) checks its own entry, not every entry (UnchangedFrom).
        if (Volatile.Read(ref _previous) is not { } previous
            || (Volatile.Read(ref _unchangedFrom) is { } unchanged ? unchanged[index] : UnchangedIndex(previous, index)) is var j && j < 0) return null;
        var old = Volatile.Read(ref previous._papers[j]);
        // An entry that had decoding errors is decoded again, so that they are reported for this file too.
        if (old is null || Volatile.Read(ref previous._errors[j]) != NoErrors) return null;
        var was = previous._entries[j];
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
