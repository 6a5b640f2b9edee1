using PaperNotes.Core.Library;

namespace PaperNotes.Core.Search;

/// <summary>Why a paper matched, best first: the order of completion results.</summary>
public enum MatchKind { KeyExact, KeyPrefix, TitleWord, TitlePrefix, AuthorWord, AuthorPrefix, Year, AbstractWord, AbstractPrefix }

public sealed record SearchHit(Paper Paper, MatchKind Match);

/// <summary>
/// Prefix search over keys, title words, author names, years and abstract words of a fixed set of papers.
/// Each field is an inverted index in CSR form over a sorted term list, so all terms sharing a prefix are one
/// contiguous run of postings: a query is a binary search plus a scan, and stops as soon as the better
/// fields have filled the requested number of results. Immutable once built; safe to share across threads.
/// </summary>
public sealed class SearchIndex
{
    private enum Field { Title, Author, Year, Abstract }
    private const int FieldCount = 4;

    // The papers, by id: an array when the index was built (every paper decoded for it); the library's own lazily
    // decoded list when the index was read back from an image (a warm start: only hits get decoded).
    private readonly IReadOnlyList<Paper> _papers;
    private readonly int[] _order;            // paper id -> static rank (newer first, then key)
    private readonly string[] _sortedKeys;    // lower-case keys, sorted ordinal
    private readonly int[] _sortedKeyIds;
    private readonly string[] _terms;         // all field terms, sorted ordinal
    // Per field: each term's paper ids (by term rank). Abstracts give a library about 100 postings a paper, 80% of the
    // index: they are stored as varint gaps (1.5 bytes a posting instead of 4). Titles, authors and years are few and
    // read by nearly every search, which mostly stops before abstracts: plain ints (decoding them cost search p95 +30%).
    private readonly PostingRuns[] _postings;

    public int Count => _papers.Count;

    // What an image saves and restores (SearchIndexImage).
    internal int[] Order => _order;
    internal string[] SortedKeys => _sortedKeys;
    internal int[] SortedKeyIds => _sortedKeyIds;
    internal string[] Terms => _terms;
    internal PostingRuns[] Postings => _postings;

    /// <summary>An index read back from its image over <paramref name="papers"/> (the same papers, in the same order).</summary>
    internal SearchIndex(IReadOnlyList<Paper> papers, int[] order, string[] sortedKeys, int[] sortedKeyIds, string[] terms, PostingRuns[] postings)
    {
        _papers = papers;
        _order = order;
        _sortedKeys = sortedKeys;
        _sortedKeyIds = sortedKeyIds;
        _terms = terms;
        _postings = postings;
    }

    internal const int Fields = FieldCount;
    internal const int AbstractField = (int)Field.Abstract;

    private static readonly HashSet<string> AbstractStopWords =
    [
        "the", "and", "for", "with", "that", "this", "are", "from", "our", "which", "these", "their", "can", "has",
        "have", "been", "was", "were", "not", "but", "its", "also", "into", "than", "such", "both", "more", "via",
        "while", "however", "other", "each", "between", "over", "show", "use", "using", "used", "based", "new", "two",
    ];

    public SearchIndex(IReadOnlyList<Paper> papers)
    {
        var all = papers.ToArray();
        _papers = all;
        int n = all.Length;

        var byRecency = Enumerable.Range(0, n)
            .OrderByDescending(i => all[i].Issued?.Year ?? int.MinValue)
            .ThenBy(i => all[i].Key, StringComparer.Ordinal)
            .ToArray();
        _order = new int[n];
        for (int rank = 0; rank < n; rank++) _order[byRecency[rank]] = rank;

        var keys = new (string Key, int Id)[n];
        for (int i = 0; i < n; i++) keys[i] = (all[i].Key.ToLowerInvariant(), i);
        Array.Sort(keys, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        _sortedKeys = keys.Select(k => k.Key).ToArray();
        _sortedKeyIds = keys.Select(k => k.Id).ToArray();

        // Pass 1: per field, the term ids of each paper in paper order (each term once per paper and field);
        // bounds[f][id]..bounds[f][id + 1] are paper id's terms. Ints, not (term, paper) pairs: half the memory.
        var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var termLookup = termIds.GetAlternateLookup<ReadOnlySpan<char>>();
        var stopWords = AbstractStopWords.GetAlternateLookup<ReadOnlySpan<char>>();
        var termList = new List<string>();
        var terms = new IntChunks[FieldCount];
        var bounds = new int[FieldCount][];
        for (int f = 0; f < FieldCount; f++)
        {
            terms[f] = new IntChunks();
            bounds[f] = new int[n + 1];
        }
        var seen = new HashSet<int>();
        for (int id = 0; id < n; id++)
        {
            var paper = all[id];
            void Add(Field field, ReadOnlySpan<char> word)
            {
                // Look up by span: only a term never seen before costs a string.
                if (!termLookup.TryGetValue(word, out int term))
                {
                    var text = word.ToString();
                    term = termList.Count;
                    termIds.Add(text, term);
                    termList.Add(text);
                }
                if (seen.Add(term)) terms[(int)field].Add(term);
            }
            seen.Clear();
            Tokenizer.Words(paper.Title, 1, w => Add(Field.Title, w));
            seen.Clear();
            foreach (var author in paper.Authors) Tokenizer.Words(author.Display, 1, w => Add(Field.Author, w));
            foreach (var editor in paper.Editors) Tokenizer.Words(editor.Display, 1, w => Add(Field.Author, w));
            seen.Clear();
            if (paper.Issued?.Year is int year) Add(Field.Year, year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            seen.Clear();
            Tokenizer.Words(paper.AbstractUtf8, 3, w => { if (!stopWords.Contains(w)) Add(Field.Abstract, w); });
            for (int f = 0; f < FieldCount; f++) bounds[f][id + 1] = terms[f].Count;
        }

        // Sort terms; remap ids to ranks so that a prefix is a contiguous rank range.
        var rankOf = new int[termList.Count];
        var sortedIds = Enumerable.Range(0, termList.Count).ToArray();
        Array.Sort(sortedIds, (a, b) => string.CompareOrdinal(termList[a], termList[b]));
        _terms = new string[termList.Count];
        for (int rank = 0; rank < sortedIds.Length; rank++)
        {
            rankOf[sortedIds[rank]] = rank;
            _terms[rank] = termList[sortedIds[rank]];
        }

        _postings = new PostingRuns[FieldCount];
        for (int f = 0; f < FieldCount; f++)
        {
            var fieldTerms = terms[f];
            var fieldBounds = bounds[f];
            var starts = new int[_terms.Length + 1];
            for (int k = 0; k < fieldTerms.Count; k++) starts[rankOf[fieldTerms[k]] + 1]++;
            for (int t = 0; t < _terms.Length; t++) starts[t + 1] += starts[t];
            var fill = (int[])starts.Clone();
            var postings = new int[fieldTerms.Count];
            for (int id = 0; id < n; id++)
                for (int k = fieldBounds[id]; k < fieldBounds[id + 1]; k++)
                    postings[fill[rankOf[fieldTerms[k]]]++] = id;
            _postings[f] = f == (int)Field.Abstract ? new CompressedPostingRuns(starts, postings) : new PlainPostingRuns(starts, postings);
            terms[f] = null!; // let the build buffers go before the next field
        }
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
            // Nothing typed yet: the newest papers.
            foreach (var id in Enumerable.Range(0, _papers.Count).OrderBy(i => _order[i]).Take(limit))
                hits.Add(new SearchHit(_papers[id], MatchKind.KeyPrefix));
            return hits;
        }
        // The longest word drives candidate generation (fewest matches); the others filter.
        var driver = words.Count > 0 ? words.OrderByDescending(w => w.Length).First() : rawKey;
        var others = words.Where(w => !ReferenceEquals(w, driver)).ToList();
        var abstracts = new Dictionary<string, System.Collections.BitArray>(StringComparer.Ordinal);
        int[] buffer = [];

        if (rawKey.Length > 0)
        {
            var (lo, hi) = PrefixRange(_sortedKeys, rawKey);
            var exact = lo < hi && _sortedKeys[lo] == rawKey ? lo : -1;
            if (exact >= 0) Take(hits, taken, [_sortedKeyIds[exact]], MatchKind.KeyExact, others, abstracts, limit);
            Take(hits, taken, _sortedKeyIds.AsSpan(lo, hi - lo), MatchKind.KeyPrefix, others, abstracts, limit);
        }
        var (tlo, thi) = PrefixRange(_terms, driver);
        bool hasExact = tlo < thi && _terms[tlo] == driver;
        (Field Field, MatchKind Exact, MatchKind Prefix)[] plan =
        [
            (Field.Title, MatchKind.TitleWord, MatchKind.TitlePrefix),
            (Field.Author, MatchKind.AuthorWord, MatchKind.AuthorPrefix),
            (Field.Year, MatchKind.Year, MatchKind.Year),
            (Field.Abstract, MatchKind.AbstractWord, MatchKind.AbstractPrefix),
        ];
        foreach (var (field, exactKind, prefixKind) in plan)
        {
            if (hits.Count >= limit) break;
            if (hasExact)
                Take(hits, taken, _postings[(int)field].Ids(tlo, tlo + 1, ref buffer), exactKind, others, abstracts, limit);
            int from = hasExact ? tlo + 1 : tlo;
            if (from < thi)
                Take(hits, taken, _postings[(int)field].Ids(from, thi, ref buffer), prefixKind, others, abstracts, limit);
        }
        return hits;
    }

    /// <summary>Adds the best-ranked candidates not yet taken, up to the limit.</summary>
    private void Take(List<SearchHit> hits, HashSet<int> taken, ReadOnlySpan<int> candidates, MatchKind kind, List<string> others,
        Dictionary<string, System.Collections.BitArray> abstracts, int limit)
    {
        int room = limit - hits.Count;
        if (room <= 0 || candidates.Length == 0) return;
        // Keep the `room` best by static rank with a bounded max-heap: O(m log room).
        var heap = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var id in candidates)
        {
            if (taken.Contains(id)) continue;
            if (heap.Count == room && _order[id] >= _order[heap.Peek()]) continue;
            if (others.Count > 0 && !MatchesAll(id, others, abstracts)) continue;
            heap.Enqueue(id, _order[id]);
            if (heap.Count > room) heap.Dequeue();
        }
        var chosen = new int[heap.Count];
        for (int i = chosen.Length - 1; i >= 0; i--) chosen[i] = heap.Dequeue();
        foreach (var id in chosen)
        {
            if (taken.Add(id)) hits.Add(new SearchHit(_papers[id], kind));
        }
    }

    private bool MatchesAll(int id, List<string> words, Dictionary<string, System.Collections.BitArray> abstracts)
    {
        var paper = _papers[id];
        foreach (var word in words)
        {
            bool found = paper.Key.StartsWith(word, StringComparison.OrdinalIgnoreCase);
            void Check(ReadOnlySpan<char> w) { if (w.StartsWith(word, StringComparison.Ordinal)) found = true; }
            if (!found) Tokenizer.Words(paper.Title, 1, Check);
            if (!found) foreach (var a in paper.Authors) Tokenizer.Words(a.Display, 1, Check);
            if (!found && paper.Issued?.Year is int y) Check(y.ToString(System.Globalization.CultureInfo.InvariantCulture).AsSpan());
            if (!found)
            {
                if (!abstracts.TryGetValue(word, out var having)) abstracts[word] = having = WithAbstractWord(word);
                found = having[id];
            }
            if (!found) return false;
        }
        return true;
    }

    /// <summary>The papers whose abstract has a word starting with <paramref name="prefix"/>, from the index: abstracts
    /// are not kept in memory (a big library reads them back from its text), so a search never reads them.</summary>
    private System.Collections.BitArray WithAbstractWord(string prefix)
    {
        var having = new System.Collections.BitArray(_papers.Count);
        var (lo, hi) = PrefixRange(_terms, prefix);
        int[] buffer = [];
        foreach (var id in _postings[(int)Field.Abstract].Ids(lo, hi, ref buffer)) having[id] = true;
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
    public abstract ReadOnlySpan<int> Ids(int from, int to, ref int[] buffer);
}

/// <summary>Ids as ints in CSR form: a run is a slice, nothing to decode.</summary>
internal sealed class PlainPostingRuns(int[] starts, int[] ids) : PostingRuns
{
    public int[] Starts => starts;
    public int[] PaperIds => ids;

    public override ReadOnlySpan<int> Ids(int from, int to, ref int[] buffer) => ids.AsSpan(starts[from], starts[to] - starts[from]);
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

    public CompressedPostingRuns(int[] starts, int[] ids)
    {
        // Two passes, sizes first: the array is allocated once at its size (a growing list would hold up to three times
        // the bytes at once, next to the int postings it is made from: +0.6 GB of peak at a million papers).
        _starts = new int[starts.Length];
        int size = 0;
        for (int t = 0; t + 1 < starts.Length; t++)
        {
            _starts[t] = size;
            int previous = 0;
            for (int k = starts[t]; k < starts[t + 1]; k++)
            {
                size += VarintLength((uint)(ids[k] - previous));
                previous = ids[k];
            }
        }
        _starts[^1] = size;
        _bytes = new byte[size];
        int at = 0;
        for (int t = 0; t + 1 < starts.Length; t++)
        {
            int previous = 0;
            for (int k = starts[t]; k < starts[t + 1]; k++)
            {
                uint gap = (uint)(ids[k] - previous); // ids grow within a term
                previous = ids[k];
                while (gap >= 0x80) { _bytes[at++] = (byte)(gap | 0x80); gap >>= 7; }
                _bytes[at++] = (byte)gap;
            }
        }
    }

    /// <summary>True when every run decodes to ids in [0, <paramref name="n"/>), each varint inside its term's bytes.</summary>
    public bool AllIdsBelow(int n)
    {
        for (int t = 0; t + 1 < _starts.Length; t++)
        {
            long previous = 0;
            for (int i = _starts[t]; i < _starts[t + 1];)
            {
                uint gap = 0;
                for (int shift = 0; ; shift += 7)
                {
                    if (i >= _starts[t + 1] || shift > 28) return false;
                    byte b = _bytes[i++];
                    gap |= (uint)(b & 0x7F) << shift;
                    if (b < 0x80) break;
                }
                previous += gap;
                if (previous >= n) return false;
            }
        }
        return true;
    }

    private static int VarintLength(uint value) => value < 1u << 7 ? 1 : value < 1u << 14 ? 2 : value < 1u << 21 ? 3 : value < 1u << 28 ? 4 : 5;

    public override ReadOnlySpan<int> Ids(int from, int to, ref int[] buffer)
    {
        // An id takes at least one byte: the runs' length bounds how many they hold.
        int most = _starts[to] - _starts[from], count = 0;
        if (buffer.Length < most) buffer = new int[Math.Max(most, buffer.Length * 2)];
        for (int t = from; t < to; t++)
        {
            int previous = 0;
            for (int i = _starts[t]; i < _starts[t + 1];)
            {
                uint gap = 0;
                for (int shift = 0; ; shift += 7)
                {
                    byte b = _bytes[i++];
                    gap |= (uint)(b & 0x7F) << shift;
                    if (b < 0x80) break;
                }
                previous += (int)gap;
                buffer[count++] = previous;
            }
        }
        return buffer.AsSpan(0, count);
    }
}

/// <summary>A list of ints in fixed chunks: growing never copies, nor holds twice what it needs, as a list does while
/// it doubles (the search index's build lists 100 million abstract terms for a million papers).</summary>
internal sealed class IntChunks
{
    private const int ChunkBits = 16;
    private readonly List<int[]> _chunks = [];

    public int Count { get; private set; }

    public void Add(int value)
    {
        if ((Count & ((1 << ChunkBits) - 1)) == 0 && Count >> ChunkBits == _chunks.Count) _chunks.Add(new int[1 << ChunkBits]);
        _chunks[Count >> ChunkBits][Count & ((1 << ChunkBits) - 1)] = value;
        Count++;
    }

    public int this[int index] => _chunks[index >> ChunkBits][index & ((1 << ChunkBits) - 1)];
}
