using PaperNotes.Core.Library;

namespace PaperNotes.Core.Search;

/// <summary>Why a paper matched, best first: the order of completion results.</summary>
public enum MatchKind { KeyExact, KeyPrefix, TitleWord, TitlePrefix, AuthorWord, AuthorPrefix, Year, AbstractWord, AbstractPrefix }

/// <summary>A paper a search found, and what a list of hits shows of it, read without decoding the paper when the index
/// keeps it (<see cref="HitLabels"/>); <see cref="Paper"/> decodes it.</summary>
public sealed class SearchHit
{
    private readonly IReadOnlyList<Paper> _papers;
    private readonly int _id;
    private readonly bool _labelled;
    private readonly string? _title;
    private readonly string _who;

    internal SearchHit(IReadOnlyList<Paper> papers, int id, MatchKind match, HitLabels? labels, int labelId)
    {
        _papers = papers;
        _id = id;
        Match = match;
        _who = "";
        _labelled = labels is not null && labels.TryGet(labelId, out _title, out _who);
    }

    public MatchKind Match { get; }
    public Paper Paper => _papers[_id];
    public string Key => _papers is IPaperKeys keys ? keys.KeyAt(_id) : Paper.Key;
    public string? Title => _labelled ? _title : Paper.Title;
    /// <summary>The short who-and-when, <see cref="Features.PaperMarkdown.Short"/>.</summary>
    public string Short => _labelled ? _who : Features.PaperMarkdown.Short(Paper);
}

/// <summary>A list of papers whose keys are known without decoding them.</summary>
internal interface IPaperKeys
{
    string KeyAt(int index);
}

/// <summary>
/// Prefix search over keys, title words, author names, years and abstract words of a fixed set of papers.
/// The terms live in <see cref="TermLayer"/>s: one for a built index; after a reload (<see cref="Updated"/>), the
/// replaced index's layer, its ids mapped to the new papers (a changed or removed paper maps to none), and a small
/// layer over the papers that changed. A search reads each layer and maps what it finds, so it answers exactly as an
/// index built over the new papers would, without tokenizing the unchanged ones again. Immutable once built; safe to
/// share across threads.
/// </summary>
public sealed class SearchIndex
{
    internal enum Field { Title, Author, Year, Abstract }
    internal const int Fields = 4;
    internal const int AbstractField = (int)Field.Abstract;

    // The papers, by id: an array when the index was built (every paper decoded for it); the library set's own lazily
    // decoded list when it was read back from an image (a warm start: only hits get decoded) or updated after a reload.
    private readonly IReadOnlyList<Paper> _papers;
    private readonly int[] _order;            // paper id -> static rank (newer first, then key)
    private int[]? _byRank;                   // rank -> paper id, made on first use

    private int[] ByRank
    {
        get
        {
            if (Volatile.Read(ref _byRank) is { } made) return made;
            var byRank = new int[_order.Length];
            for (int id = 0; id < _order.Length; id++) byRank[_order[id]] = id;
            Volatile.Write(ref _byRank, byRank);
            return byRank;
        }
    }
    // Each layer's ids, mapped to paper ids by its map (null: they are paper ids; -1: the paper is not there any more).
    private readonly (TermLayer Terms, int[]? ToPaper)[] _layers;
    // For an updated index, each paper's id in the first layer (-1: it is in the second, whose map ascends): where its
    // hit labels are.
    private readonly int[]? _firstLayerIds;

    private SearchHit Hit(int id, MatchKind match)
    {
        var (labels, at) = LabelsOf(id);
        return new SearchHit(_papers, id, match, labels, at);
    }

    /// <summary>Paper <paramref name="id"/>'s title and who-and-when from the labels of the layer that holds it; false
    /// when that layer has none (read back from an image).</summary>
    internal bool TryLabels(int id, out string? title, out string who)
    {
        var (labels, at) = LabelsOf(id);
        title = null;
        who = "";
        return labels is not null && labels.TryGet(at, out title, out who);
    }

    /// <summary>The labels of the layer holding paper <paramref name="id"/>, and its id there.</summary>
    private (HitLabels? Labels, int Id) LabelsOf(int id)
    {
        var (first, toPaper) = _layers[0];
        if (toPaper is null) return (first.Labels, id);
        if (_firstLayerIds![id] is var local && local >= 0) return (first.Labels, local);
        var (second, ids) = _layers[1];
        return (second.Labels, Array.BinarySearch(ids!, id));
    }

    public int Count => _papers.Count;

    // What an image saves and restores (SearchIndexImage): one layer of paper ids.
    internal int[] Order => _order;
    internal TermLayer? SingleLayer => _layers is [(var layer, null)] ? layer : null;

    /// <summary>An index read back from its image over <paramref name="papers"/> (the same papers, in the same order).</summary>
    internal SearchIndex(IReadOnlyList<Paper> papers, int[] order, TermLayer layer)
    {
        _papers = papers;
        _order = order;
        _layers = [(layer, null)];
    }

    private SearchIndex(IReadOnlyList<Paper> papers, int[] order, (TermLayer, int[]?)[] layers, int[]? firstLayerIds = null)
    {
        _papers = papers;
        _order = order;
        _layers = layers;
        _firstLayerIds = firstLayerIds;
    }

    /// <summary>An index built over <paramref name="papers"/>, read in one pass (enumerated: a lazily decoded library
    /// decodes them for it and keeps none); a hit is read from the list by index.</summary>
    public SearchIndex(IReadOnlyList<Paper> papers)
    {
        _papers = papers;
        var layer = TermLayer.Build(papers, out var years, out var keys);
        _order = RanksByRecency(years, i => keys[i]);
        _layers = [(layer, null)];
    }

    /// <summary>Whether the index is more than one layer (an update of a built one).</summary>
    public bool IsUpdated => _layers.Length > 1 || _layers[0].ToPaper is not null;

    /// <summary>From this share of changed papers on (and at least this many), an update builds anew: it would tokenize
    /// nearly as much, and the replaced layer would hold mostly dead terms.</summary>
    private const int UpdateAtMostShare = 4, UpdateAlwaysBelow = 1_000;

    /// <summary>
    /// This index (over the papers of a replaced library set) carried over to <paramref name="papers"/>:
    /// <paramref name="previousIds"/> gives, for each of them, its id in this index when it is unchanged (the same entry
    /// text, so the same key, title, names, year and abstract), else -1. Only the changed papers are tokenized, together
    /// with those an earlier update had to (the layers never grow past two). Null when so many changed that building
    /// anew is as cheap. Only the changed papers are decoded.
    /// </summary>
    public SearchIndex? Updated(IReadOnlyList<Paper> papers, int[] previousIds)
    {
        if (previousIds.Length != papers.Count) throw new ArgumentException("one previous id per paper", nameof(previousIds));
        int n = papers.Count;
        var newIdOf = new int[_papers.Count];
        Array.Fill(newIdOf, -1);
        for (int i = 0; i < n; i++)
            if (previousIds[i] >= 0) newIdOf[previousIds[i]] = i;
        // The first layer is kept, mapped to the new ids; every paper it does not hold is in the new second layer.
        var (baseLayer, baseMap) = _layers[0];
        var toPaper = new int[baseLayer.PaperCount];
        var firstLayerIds = new int[n];
        Array.Fill(firstLayerIds, -1);
        for (int local = 0; local < toPaper.Length; local++)
        {
            int old = baseMap is null ? local : baseMap[local];
            int now = old < 0 ? -1 : newIdOf[old];
            toPaper[local] = now;
            if (now >= 0) firstLayerIds[now] = local;
        }
        var fresh = new List<int>();
        for (int i = 0; i < n; i++)
            if (firstLayerIds[i] < 0) fresh.Add(i);
        if (fresh.Count >= UpdateAlwaysBelow && fresh.Count > n / UpdateAtMostShare) return null;
        // The unchanged papers' years are this index's (its year postings): only the changed ones are decoded.
        var years = new int[n];
        var oldYears = Years();
        for (int i = 0; i < n; i++)
            if (previousIds[i] >= 0) years[i] = oldYears[previousIds[i]];
        if (fresh.Count == 0) return new SearchIndex(papers, RanksByRecency(years, i => KeyOf(papers, i)), [(baseLayer, toPaper)], firstLayerIds);
        var freshPapers = new Paper[fresh.Count];
        for (int k = 0; k < freshPapers.Length; k++) freshPapers[k] = papers[fresh[k]];
        var freshLayer = TermLayer.Build(freshPapers, out var freshYears, out _);
        for (int k = 0; k < fresh.Count; k++) years[fresh[k]] = freshYears[k];
        return new SearchIndex(papers, RanksByRecency(years, i => KeyOf(papers, i)), [(baseLayer, toPaper), (freshLayer, fresh.ToArray())], firstLayerIds);
    }

    /// <summary>Each paper's year (int.MinValue: none), read from the year postings, which hold exactly the years the
    /// build gave them.</summary>
    private int[] Years()
    {
        var years = new int[_papers.Count];
        Array.Fill(years, int.MinValue);
        int[] buffer = [];
        foreach (var (layer, toPaper) in _layers)
        {
            var postings = layer.Postings[(int)Field.Year];
            var terms = layer.Terms;
            // Years are written in digits (a sign at most): in ordinal order they come before every letter.
            for (int t = 0; t < terms.Length; t++)
            {
                if (terms[t].Length > 0 && terms[t][0] > '9') break;
                var ids = postings.Ids(t, t + 1, ref buffer);
                if (ids.IsEmpty || !int.TryParse(terms[t], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int year)) continue;
                foreach (int id in ids)
                    if ((toPaper is null ? id : toPaper[id]) is var paper && paper >= 0) years[paper] = year;
            }
        }
        return years;
    }

    /// <summary>Paper <paramref name="index"/>'s key, without decoding it when the list knows its keys.</summary>
    private static string KeyOf(IReadOnlyList<Paper> papers, int index) => papers is IPaperKeys keys ? keys.KeyAt(index) : papers[index].Key;

    /// <summary>The same index as one layer of paper ids, what an image holds: the layers' terms and keys merged, their
    /// ids mapped, the removed papers' dropped. Linear in the postings; nothing is tokenized again.</summary>
    public SearchIndex Flattened()
    {
        if (SingleLayer is not null) return this;
        // The labels by paper id: each from the layer that holds it (a label too long to keep, from its paper).
        var labels = new HitLabels.Builder(_papers.Count);
        for (int id = 0; id < _papers.Count; id++)
        {
            if (TryLabels(id, out var title, out var who)) labels.Add(title, who);
            else labels.Add(_papers[id]);
        }
        return new SearchIndex(_papers, _order, [(TermLayer.Merge(_layers, _papers.Count).WithLabels(labels.Build()), null)]);
    }

    /// <summary>Each paper's rank: newer first, then by key.</summary>
    private static int[] RanksByRecency(int[] years, Func<int, string> keyOf)
    {
        int n = years.Length;
        var keys = new string[n];
        for (int i = 0; i < n; i++) keys[i] = keyOf(i);
        var byRecency = new int[n];
        for (int i = 0; i < n; i++) byRecency[i] = i;
        Array.Sort(byRecency, (a, b) => years[a] != years[b] ? years[b].CompareTo(years[a]) : string.CompareOrdinal(keys[a], keys[b]));
        var order = new int[n];
        for (int rank = 0; rank < n; rank++) order[byRecency[rank]] = rank;
        return order;
    }

    /// <summary>
    /// Papers matching what was typed: every query word must be a prefix of a word of the paper (or of its
    /// key); ranked key prefix &gt; title word &gt; author &gt; year &gt; abstract, exact words before prefixes,
    /// then newer papers first.
    /// </summary>
    public IReadOnlyList<SearchHit> Search(string query, int limit)
    {
        var hits = new List<SearchHit>();
        var words = Tokenizer.Query(query);
        if (limit <= 0 || _papers.Count == 0) return hits;
        var taken = new HashSet<int>();
        var rawKey = query.Trim().ToLowerInvariant();
        if (words.Count == 0 && rawKey.Length == 0)
        {
            // Nothing typed yet: the newest papers (as after a bare '@': it must not sort a million papers each time).
            var byRank = ByRank;
            for (int rank = 0; rank < Math.Min(limit, byRank.Length); rank++)
                hits.Add(Hit(byRank[rank], MatchKind.KeyPrefix));
            return hits;
        }
        // The longest word drives candidate generation (fewest matches); the others filter.
        var driver = words.Count > 0 ? words.OrderByDescending(w => w.Length).First() : rawKey;
        var others = words.Where(w => !ReferenceEquals(w, driver)).ToList();
        var having = new Dictionary<string, System.Collections.BitArray>(StringComparer.Ordinal); // each other word's papers
        var candidates = new Candidates(SingleLayer is not null);

        if (rawKey.Length > 0)
        {
            foreach (var (layer, map) in _layers)
            {
                var (lo, hi) = PrefixRange(layer.SortedKeys, rawKey);
                if (lo < hi && layer.SortedKeys[lo] == rawKey) candidates.Add(layer.SortedKeyIds.AsSpan(lo, 1), map);
            }
            Take(hits, taken, candidates.TakeAll(), MatchKind.KeyExact, others, having, limit);
            foreach (var (layer, map) in _layers)
            {
                var (lo, hi) = PrefixRange(layer.SortedKeys, rawKey);
                candidates.Add(layer.SortedKeyIds.AsSpan(lo, hi - lo), map);
            }
            Take(hits, taken, candidates.TakeAll(), MatchKind.KeyPrefix, others, having, limit);
        }
        // Per layer: the driver's run of terms, and whether its first is the driver itself.
        var runs = new (int Lo, int Hi, bool Exact)[_layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            var terms = _layers[l].Terms.Terms;
            var (tlo, thi) = PrefixRange(terms, driver);
            runs[l] = (tlo, thi, tlo < thi && terms[tlo] == driver);
        }
        (Field Field, MatchKind Exact, MatchKind Prefix)[] plan =
        [
            (Field.Title, MatchKind.TitleWord, MatchKind.TitlePrefix),
            (Field.Author, MatchKind.AuthorWord, MatchKind.AuthorPrefix),
            (Field.Year, MatchKind.Year, MatchKind.Year),
            (Field.Abstract, MatchKind.AbstractWord, MatchKind.AbstractPrefix),
        ];
        int[] buffer = [];
        foreach (var (field, exactKind, prefixKind) in plan)
        {
            if (hits.Count >= limit) break;
            for (int l = 0; l < _layers.Length; l++)
                if (runs[l].Exact) candidates.Add(_layers[l].Terms.Postings[(int)field].Ids(runs[l].Lo, runs[l].Lo + 1, ref buffer), _layers[l].ToPaper);
            Take(hits, taken, candidates.TakeAll(), exactKind, others, having, limit);
            for (int l = 0; l < _layers.Length; l++)
            {
                var (lo, hi, exact) = runs[l];
                int from = exact ? lo + 1 : lo;
                if (from < hi) candidates.Add(_layers[l].Terms.Postings[(int)field].Ids(from, hi, ref buffer), _layers[l].ToPaper);
            }
            Take(hits, taken, candidates.TakeAll(), prefixKind, others, having, limit);
        }
        return hits;
    }

    /// <summary>The paper ids a step of a search reads, from every layer. One layer of paper ids (a built index) is read
    /// in place, as its one span; otherwise the ids are mapped (dropping those of papers no longer there) into a buffer.</summary>
    private ref struct Candidates(bool inPlace)
    {
        private ReadOnlySpan<int> _span;
        private int[] _ids = [];
        private int _count;

        public void Add(ReadOnlySpan<int> local, int[]? toPaper)
        {
            if (inPlace)
            {
                _span = local;
                return;
            }
            if (_ids.Length < _count + local.Length) Array.Resize(ref _ids, Math.Max(_count + local.Length, _ids.Length * 2));
            foreach (int id in local)
            {
                int paper = toPaper is null ? id : toPaper[id];
                if (paper >= 0) _ids[_count++] = paper;
            }
        }

        /// <summary>What was added since the last call; valid until the next <see cref="Add"/>.</summary>
        public ReadOnlySpan<int> TakeAll()
        {
            if (inPlace)
            {
                var span = _span;
                _span = default;
                return span;
            }
            var all = _ids.AsSpan(0, _count);
            _count = 0;
            return all;
        }
    }

    /// <summary>Adds the best-ranked candidates not yet taken, up to the limit.</summary>
    private void Take(List<SearchHit> hits, HashSet<int> taken, ReadOnlySpan<int> candidates, MatchKind kind, List<string> others,
        Dictionary<string, System.Collections.BitArray> having, int limit)
    {
        int room = limit - hits.Count;
        if (room <= 0 || candidates.Length == 0) return;
        // Keep the `room` best by static rank with a bounded max-heap: O(m log room).
        // A paper with two words in a prefix's run (`con`: "conning", "conscata") is a candidate twice: it must take one
        // place, or the step ends short and the search goes on to the abstracts (at a million papers, 100 ms more).
        var heap = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        var inHeap = new HashSet<int>();
        // A short prefix has hundreds of thousands of candidates at a million papers: once the heap is full, most fail
        // on the rank of its worst alone, so that is checked first, against a copy kept here.
        int worst = int.MaxValue;
        foreach (var id in candidates)
        {
            int rank = _order[id];
            if (rank >= worst) continue;
            if (taken.Contains(id) || inHeap.Contains(id)) continue;
            if (others.Count > 0 && !MatchesAll(id, others, having)) continue;
            heap.Enqueue(id, rank);
            inHeap.Add(id);
            if (heap.Count > room) inHeap.Remove(heap.Dequeue());
            if (heap.Count == room) worst = _order[heap.Peek()];
        }
        var chosen = new int[heap.Count];
        for (int i = chosen.Length - 1; i >= 0; i--) chosen[i] = heap.Dequeue();
        foreach (var id in chosen)
        {
            if (taken.Add(id)) hits.Add(Hit(id, kind));
        }
    }

    private bool MatchesAll(int id, List<string> words, Dictionary<string, System.Collections.BitArray> having)
    {
        foreach (var word in words)
        {
            if (!having.TryGetValue(word, out var papers)) having[word] = papers = Having(word);
            if (!papers[id]) return false;
        }
        return true;
    }

    /// <summary>The papers whose key, or a word of whose title, names, year or abstract, starts with
    /// <paramref name="prefix"/>: from the index, so checking a query's other words decodes no paper (a lazily decoded
    /// library keeps none a pass decoded, and a rare pair of words at a million papers has tens of thousands of
    /// candidates).</summary>
    private System.Collections.BitArray Having(string prefix)
    {
        var having = new System.Collections.BitArray(_papers.Count);
        int[] buffer = [];
        foreach (var (layer, toPaper) in _layers)
        {
            void Mark(ReadOnlySpan<int> ids)
            {
                foreach (var id in ids)
                    if ((toPaper is null ? id : toPaper[id]) is var paper && paper >= 0) having[paper] = true;
            }
            var (klo, khi) = PrefixRange(layer.SortedKeys, prefix);
            Mark(layer.SortedKeyIds.AsSpan(klo, khi - klo));
            var (lo, hi) = PrefixRange(layer.Terms, prefix);
            for (int f = 0; f < Fields; f++) Mark(layer.Postings[f].Ids(lo, hi, ref buffer));
        }
        return having;
    }

    /// <summary>[lo, hi) of the sorted strings that start with the prefix.</summary>
    private static (int Lo, int Hi) PrefixRange(string[] sorted, string prefix)
    {
        int lo = LowerBound(sorted, prefix);
        // Upper bound: the first string not starting with the prefix (binary search on the run).
        int left = lo, right = sorted.Length;
        while (left < right)
        {
            int mid = (left + right) >>> 1;
            if (sorted[mid].StartsWith(prefix, StringComparison.Ordinal)) left = mid + 1; else right = mid;
        }
        return (lo, left);
    }

    private static int LowerBound(string[] sorted, string value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(sorted[mid], value) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>The paper ids of each term of one field, by term rank; the terms sharing a prefix are one run of ranks.</summary>
internal abstract class PostingRuns
{
    /// <summary>The ids of terms [<paramref name="from"/>, <paramref name="to"/>), in term order; may use
    /// <paramref name="buffer"/> (grown as needed, reused within a search).</summary>
    public abstract ReadOnlySpan<int> Ids(int from, int to, scoped ref int[] buffer);
}

/// <summary>Ids as ints in CSR form: a run is a slice, nothing to decode.</summary>
internal sealed class PlainPostingRuns(int[] starts, int[] ids) : PostingRuns
{
    public int[] Starts => starts;
    public int[] PaperIds => ids;

    public override ReadOnlySpan<int> Ids(int from, int to, scoped ref int[] buffer) => ids.AsSpan(starts[from], starts[to] - starts[from]);
}

/// <summary>Each term's ids, ascending, as varint gaps (the first id, then differences), and each term's byte offset.</summary>
internal sealed class CompressedPostingRuns : PostingRuns
{
    private readonly int[] _starts;
    private readonly byte[] _bytes;

    public int[] Starts => _starts;
    public byte[] Bytes => _bytes;

    /// <summary>Runs read back from an image: each term's byte offset and the varint gaps.</summary>
    public CompressedPostingRuns(int[] byteStarts, byte[] bytes)
    {
        _starts = byteStarts;
        _bytes = bytes;
    }

    /// <summary>Writes <paramref name="value"/> as a varint (7 bits a byte, low first) at <paramref name="at"/>, and moves it on.</summary>
    internal static void WriteVarint(byte[] bytes, ref int at, uint value)
    {
        while (value >= 0x80) { bytes[at++] = (byte)(value | 0x80); value >>= 7; }
        bytes[at++] = (byte)value;
    }

    /// <summary>The runs of each paper's terms (term ids, which <paramref name="rankOf"/> maps to ranks): sized in one
    /// pass and written in a second, so the ids are never all held as ints. The same bytes as the ids grouped by term
    /// give (<see cref="TermLayer.Merge"/>).</summary>
    internal static CompressedPostingRuns FromPaperTerms(PaperTermLists terms, int[] rankOf)
    {
        int termCount = rankOf.Length, papers = terms.Count;
        var starts = new int[termCount + 1];
        var last = new int[termCount]; // each term's last id so far (0 before the first: the first gap is the id)
        var reader = terms.Reader();
        for (int id = 0; id < papers; id++)
            foreach (int term in reader.Next())
            {
                int t = rankOf[term];
                starts[t + 1] += VarintLength((uint)(id - last[t]));
                last[t] = id;
            }
        for (int t = 0; t < termCount; t++) starts[t + 1] += starts[t];
        var bytes = new byte[starts[^1]];
        var at = (int[])starts.Clone();
        Array.Clear(last);
        reader = terms.Reader();
        for (int id = 0; id < papers; id++)
            foreach (int term in reader.Next())
            {
                int t = rankOf[term];
                WriteVarint(bytes, ref at[t], (uint)(id - last[t]));
                last[t] = id;
            }
        return new CompressedPostingRuns(starts, bytes);
    }

    /// <summary>True when every run decodes to ids in [0, <paramref name="n"/>), each varint inside its term's bytes.</summary>
    public bool AllIdsBelow(int n)
    {
        for (int t = 0; t + 1 < _starts.Length; t++)
        {
            long previous = 0;
            for (int i = _starts[t], end = _starts[t + 1]; i < end;)
            {
                if (!TryReadVarint(_bytes, ref i, end, out uint gap)) return false;
                previous += gap;
                if (previous >= n) return false;
            }
        }
        return true;
    }

    /// <summary>Reads the varint at <paramref name="at"/> and moves past it; false when it would run to
    /// <paramref name="end"/> or past five bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool TryReadVarint(byte[] bytes, ref int at, int end, out uint value)
    {
        value = 0;
        for (int shift = 0; shift <= 28; shift += 7)
        {
            if (at >= end) return false;
            byte b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }

    internal static int VarintLength(uint value) => value < 1u << 7 ? 1 : value < 1u << 14 ? 2 : value < 1u << 21 ? 3 : value < 1u << 28 ? 4 : 5;

    public override ReadOnlySpan<int> Ids(int from, int to, scoped ref int[] buffer)
    {
        // An id takes at least one byte: the runs' length bounds how many they hold.
        int most = _starts[to] - _starts[from], count = 0;
        if (buffer.Length < most) buffer = new int[Math.Max(most, buffer.Length * 2)];
        for (int t = from; t < to; t++)
        {
            int previous = 0;
            // The runs were checked when read back (AllIdsBelow) or written here: a varint never runs past its term.
            for (int i = _starts[t], end = _starts[t + 1]; i < end && TryReadVarint(_bytes, ref i, end, out uint gap);)
            {
                previous += (int)gap;
                buffer[count++] = previous;
            }
        }
        return buffer.AsSpan(0, count);
    }
}

/// <summary>
/// Each paper's distinct terms, paper after paper: sorted, as varint gaps in fixed chunks of bytes. Terms are numbered
/// as first met, so a paper's common words have small numbers and most gaps fit a byte: 1.5 bytes a term on the
/// bench's libraries, 40% of what ints take.
/// </summary>
internal sealed class PaperTermLists(int capacity)
{
    private readonly Chunks<byte> _bytes = new();
    private readonly List<int> _counts = new(capacity);

    public int Count => _counts.Count;

    /// <summary>The next paper's terms, in any order, repeats allowed (sorted in place).</summary>
    public void Add(Span<int> terms)
    {
        terms.Sort();
        int previous = 0, count = 0;
        for (int i = 0; i < terms.Length; i++)
        {
            if (i > 0 && terms[i] == terms[i - 1]) continue;
            uint gap = (uint)(terms[i] - previous);
            while (gap >= 0x80) { _bytes.Add((byte)(gap | 0x80)); gap >>= 7; }
            _bytes.Add((byte)gap);
            previous = terms[i];
            count++;
        }
        _counts.Add(count);
    }

    /// <summary>Reads the papers' terms back in order, one paper per <see cref="TermReader.Next"/>.</summary>
    public TermReader Reader() => new(this);

    internal sealed class TermReader(PaperTermLists lists)
    {
        private long _at;
        private int _paper;
        private int[] _buffer = new int[64];

        /// <summary>The next paper's terms, ascending; valid until the next call.</summary>
        public ReadOnlySpan<int> Next()
        {
            int count = lists._counts[_paper++];
            if (_buffer.Length < count) _buffer = new int[Math.Max(count, _buffer.Length * 2)];
            int previous = 0;
            for (int k = 0; k < count; k++)
            {
                uint value = 0;
                for (int shift = 0; ; shift += 7)
                {
                    byte b = lists._bytes[_at++];
                    value |= (uint)(b & 0x7F) << shift;
                    if (b < 0x80) break;
                }
                previous += (int)value;
                _buffer[k] = previous;
            }
            return _buffer.AsSpan(0, count);
        }
    }
}

/// <summary>A list in fixed chunks: growing never copies, nor holds twice what it needs, as a list does while it doubles
/// (the search index's build lists 100 million abstract terms for a million papers).</summary>
internal sealed class Chunks<T>
{
    private const int ChunkBits = 16, ChunkMask = (1 << ChunkBits) - 1;
    private readonly List<T[]> _chunks = [];

    public long Count { get; private set; }

    public void Add(T value)
    {
        if ((Count & ChunkMask) == 0 && Count >> ChunkBits == _chunks.Count) _chunks.Add(new T[1 << ChunkBits]);
        _chunks[(int)(Count >> ChunkBits)][Count & ChunkMask] = value;
        Count++;
    }

    public T this[long index] => _chunks[(int)(index >> ChunkBits)][index & ChunkMask];
}
