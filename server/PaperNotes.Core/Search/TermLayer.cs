using PaperNotes.Core.Library;

namespace PaperNotes.Core.Search;

/// <summary>
/// The terms of a list of papers, by the papers' places in that list: their lower-case keys sorted, and per field an
/// inverted index in CSR form over one sorted term list, so all terms sharing a prefix are one contiguous run of
/// postings (a query is a binary search plus a scan). One layer of a <see cref="SearchIndex"/>. Immutable.
/// </summary>
internal sealed class TermLayer
{
    public string[] SortedKeys { get; }     // lower-case keys, sorted ordinal
    public int[] SortedKeyIds { get; }
    public string[] Terms { get; }          // all field terms, sorted ordinal
    // Per field: each term's ids (by term rank). Abstracts give a library about 100 postings a paper, 80% of the index:
    // they are stored as varint gaps (1.5 bytes a posting instead of 4). Titles, authors and years are few and read by
    // nearly every search, which mostly stops before abstracts: plain ints (decoding them cost search p95 +30%).
    public PostingRuns[] Postings { get; }

    /// <summary>How many papers the layer was built over (its ids are below this).</summary>
    public int PaperCount => SortedKeyIds.Length;

    /// <summary>What a hit shows of each of the layer's papers: built with it, or read back from its image; none only on
    /// <see cref="Merge"/>'s result until <see cref="WithLabels"/>.</summary>
    public HitLabels? Labels { get; }

    /// <summary>The same layer with <paramref name="labels"/> (over its ids).</summary>
    public TermLayer WithLabels(HitLabels labels) => new(SortedKeys, SortedKeyIds, Terms, Postings, labels);

    public TermLayer(string[] sortedKeys, int[] sortedKeyIds, string[] terms, PostingRuns[] postings, HitLabels? labels = null)
    {
        SortedKeys = sortedKeys;
        SortedKeyIds = sortedKeyIds;
        Terms = terms;
        Postings = postings;
        Labels = labels;
    }

    private static readonly HashSet<string> AbstractStopWords =
    [
        "the", "and", "for", "with", "that", "this", "are", "from", "our", "which", "these", "their", "can", "has",
        "have", "been", "was", "were", "not", "but", "its", "also", "into", "than", "such", "both", "more", "via",
        "while", "however", "other", "each", "between", "over", "show", "use", "using", "used", "based", "new", "two",
    ];

    /// <summary>The layer of <paramref name="papers"/>, read in one pass (enumerated once, in order), with each paper's
    /// year (int.MinValue: none) and key, which rank them.</summary>
    public static TermLayer Build(IReadOnlyList<Paper> papers, out int[] years, out string[] keys)
    {
        int n = papers.Count;
        keys = new string[n];
        years = new int[n];

        // Pass 1: per field, the term ids of each paper in paper order (each term once per paper and field);
        // bounds[f][id]..bounds[f][id + 1] are paper id's terms. Ints, not (term, paper) pairs: half the memory.
        var termTable = new TermTable();
        var stopWords = AbstractStopWords.GetAlternateLookup<ReadOnlySpan<char>>();
        var terms = new Chunks<int>[SearchIndex.Fields];
        var bounds = new int[SearchIndex.Fields][];
        for (int f = 0; f < SearchIndex.Fields; f++)
        {
            if (f == SearchIndex.AbstractField) continue;
            terms[f] = new Chunks<int>();
            bounds[f] = new int[n + 1];
        }
        // Abstracts hold 80% of the postings (400 MB as ints at a million papers, the build's peak): each paper's terms
        // are kept sorted, as varint gaps (1.5 bytes a term on the bench's libraries).
        var abstractTerms = new PaperTermLists(n);
        var abstractWords = new List<int>();
        var seen = new HashSet<int>();
        var labels = new HitLabels.Builder(n);
        int read = 0;
        foreach (var paper in papers)
        {
            labels.Add(paper);
            keys[read] = paper.Key;
            years[read] = paper.Issued?.Year ?? int.MinValue;
            void Add(SearchIndex.Field field, ReadOnlySpan<char> word)
            {
                // Looked up by span: only a term never seen before costs a string.
                int term = termTable.IdOf(word);
                if (seen.Add(term)) terms[(int)field].Add(term);
            }
            seen.Clear();
            Tokenizer.Words(paper.Title, 1, w => Add(SearchIndex.Field.Title, w));
            seen.Clear();
            foreach (var author in paper.Authors) Tokenizer.Words(author.Display, 1, w => Add(SearchIndex.Field.Author, w));
            foreach (var editor in paper.Editors) Tokenizer.Words(editor.Display, 1, w => Add(SearchIndex.Field.Author, w));
            seen.Clear();
            if (paper.Issued?.Year is int year) Add(SearchIndex.Field.Year, year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            abstractWords.Clear();
            Tokenizer.Words(paper.AbstractUtf8, 3, w =>
            {
                if (!stopWords.Contains(w)) abstractWords.Add(termTable.IdOf(w));
            });
            abstractTerms.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(abstractWords));
            for (int f = 0; f < SearchIndex.Fields; f++)
                if (f != SearchIndex.AbstractField) bounds[f][read + 1] = (int)terms[f].Count;
            read++;
        }
        if (read != n) throw new InvalidOperationException($"{read} papers enumerated of {n}");
        var byKey = new (string Key, int Id)[n];
        for (int i = 0; i < n; i++) byKey[i] = (keys[i].ToLowerInvariant(), i);
        Array.Sort(byKey, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var sortedKeys = byKey.Select(k => k.Key).ToArray();
        var sortedKeyIds = byKey.Select(k => k.Id).ToArray();

        // Sort terms; remap ids to ranks so that a prefix is a contiguous rank range.
        var termList = termTable.Terms;
        var rankOf = new int[termList.Count];
        var sortedIds = Enumerable.Range(0, termList.Count).ToArray();
        Array.Sort(sortedIds, (a, b) => string.CompareOrdinal(termList[a], termList[b]));
        var sortedTerms = new string[termList.Count];
        for (int rank = 0; rank < sortedIds.Length; rank++)
        {
            rankOf[sortedIds[rank]] = rank;
            sortedTerms[rank] = termList[sortedIds[rank]];
        }

        var postings = new PostingRuns[SearchIndex.Fields];
        postings[SearchIndex.AbstractField] = CompressedPostingRuns.FromPaperTerms(abstractTerms, rankOf);
        abstractTerms = null!; // let the build buffers go before the other fields
        for (int f = 0; f < SearchIndex.Fields; f++)
        {
            if (f == SearchIndex.AbstractField) continue;
            var fieldTerms = terms[f];
            var fieldBounds = bounds[f];
            var starts = new int[sortedTerms.Length + 1];
            for (int k = 0; k < fieldTerms.Count; k++) starts[rankOf[fieldTerms[k]] + 1]++;
            for (int t = 0; t < sortedTerms.Length; t++) starts[t + 1] += starts[t];
            var fill = (int[])starts.Clone();
            var ids = new int[fieldTerms.Count];
            for (int id = 0; id < n; id++)
                for (int k = fieldBounds[id]; k < fieldBounds[id + 1]; k++)
                    ids[fill[rankOf[fieldTerms[k]]]++] = id;
            postings[f] = new PlainPostingRuns(starts, ids);
            terms[f] = null!; // let the build buffers go before the next field
        }
        return new TermLayer(sortedKeys, sortedKeyIds, sortedTerms, postings, labels.Build());
    }

    /// <summary>Layers over the same papers (each id mapped to a paper id by its map; null: it is one; -1: dropped) as one
    /// layer of paper ids: sorted keys and terms merged, each term's ids gathered from every layer and put in order, and
    /// terms no paper has any more left out.</summary>
    public static TermLayer Merge(IReadOnlyList<(TermLayer Terms, int[]? ToPaper)> layers, int papers)
    {
        // Keys: each layer's live keys are in order already; merge them.
        var keys = new string[papers];
        var keyIds = new int[papers];
        int keyCount = 0;
        var at = new int[layers.Count];
        while (true)
        {
            int best = -1;
            for (int l = 0; l < layers.Count; l++)
            {
                var (layer, toPaper) = layers[l];
                while (at[l] < layer.SortedKeys.Length && Map(toPaper, layer.SortedKeyIds[at[l]]) < 0) at[l]++;
                if (at[l] < layer.SortedKeys.Length
                    && (best < 0 || string.CompareOrdinal(layer.SortedKeys[at[l]], layers[best].Terms.SortedKeys[at[best]]) < 0)) best = l;
            }
            if (best < 0) break;
            if (keyCount == papers) throw new InvalidOperationException("the layers map more keys than there are papers");
            var (from, map) = layers[best];
            keys[keyCount] = from.SortedKeys[at[best]];
            keyIds[keyCount++] = Map(map, from.SortedKeyIds[at[best]]);
            at[best]++;
        }
        if (keyCount != papers) throw new InvalidOperationException("the layers map fewer keys than there are papers");

        // Each layer term's live postings per field, then the terms merged, keeping those with any.
        var live = new int[layers.Count][][];
        int[] buffer = [];
        for (int l = 0; l < layers.Count; l++)
        {
            var (layer, toPaper) = layers[l];
            live[l] = new int[SearchIndex.Fields][];
            for (int f = 0; f < SearchIndex.Fields; f++)
            {
                var counts = live[l][f] = new int[layer.Terms.Length];
                for (int t = 0; t < counts.Length; t++)
                    foreach (int id in layer.Postings[f].Ids(t, t + 1, ref buffer))
                        if (Map(toPaper, id) >= 0) counts[t]++;
            }
        }
        var terms = new List<string>();
        var rankOf = new int[layers.Count][];
        for (int l = 0; l < layers.Count; l++) rankOf[l] = new int[layers[l].Terms.Terms.Length];
        Array.Clear(at);
        while (true)
        {
            string? least = null;
            for (int l = 0; l < layers.Count; l++)
            {
                var layerTerms = layers[l].Terms.Terms;
                if (at[l] < layerTerms.Length && (least is null || string.CompareOrdinal(layerTerms[at[l]], least) < 0)) least = layerTerms[at[l]];
            }
            if (least is null) break;
            bool any = false;
            for (int l = 0; l < layers.Count; l++)
            {
                var layerTerms = layers[l].Terms.Terms;
                if (at[l] < layerTerms.Length && layerTerms[at[l]] == least)
                    for (int f = 0; f < SearchIndex.Fields; f++) any |= live[l][f][at[l]] > 0;
            }
            for (int l = 0; l < layers.Count; l++)
            {
                var layerTerms = layers[l].Terms.Terms;
                if (at[l] < layerTerms.Length && layerTerms[at[l]] == least) rankOf[l][at[l]++] = any ? terms.Count : -1;
            }
            if (any) terms.Add(least);
        }

        var postings = new PostingRuns[SearchIndex.Fields];
        for (int f = 0; f < SearchIndex.Fields; f++)
        {
            if (f == SearchIndex.AbstractField)
            {
                postings[f] = MergeCompressed(layers, rankOf, terms.Count, f);
                continue;
            }
            var starts = new int[terms.Count + 1];
            for (int l = 0; l < layers.Count; l++)
                for (int t = 0; t < rankOf[l].Length; t++)
                    if (rankOf[l][t] >= 0) starts[rankOf[l][t] + 1] += live[l][f][t];
            for (int t = 0; t < terms.Count; t++) starts[t + 1] += starts[t];
            var ids = new int[starts[^1]];
            var merged = new MergedPostings(layers, rankOf, f);
            for (int r = 0; r < terms.Count; r++)
            {
                var termIds = merged.IdsOf(r);
                if (termIds.Length != starts[r + 1] - starts[r]) throw new InvalidOperationException("a merged term's ids are not its live count");
                termIds.CopyTo(ids.AsSpan(starts[r]));
            }
            postings[f] = new PlainPostingRuns(starts, ids);
        }
        return new TermLayer(keys, keyIds, [.. terms], postings);
    }

    /// <summary>One field's postings merged term by term straight into varint gaps: sized in a first pass, written in a
    /// second, so that the abstract postings (100 a paper) are never all held as ints (400 MB at a million papers).</summary>
    private static CompressedPostingRuns MergeCompressed(IReadOnlyList<(TermLayer Terms, int[]? ToPaper)> layers, int[][] rankOf, int termCount, int field)
    {
        var starts = new int[termCount + 1];
        byte[] bytes = [];
        for (int pass = 0; pass < 2; pass++)
        {
            var merged = new MergedPostings(layers, rankOf, field);
            for (int r = 0; r < termCount; r++)
            {
                var ids = merged.IdsOf(r);
                int previous = 0;
                if (pass == 0)
                {
                    int size = 0;
                    foreach (int id in ids)
                    {
                        size += CompressedPostingRuns.VarintLength((uint)(id - previous));
                        previous = id;
                    }
                    starts[r + 1] = starts[r] + size;
                    continue;
                }
                int i = starts[r];
                foreach (int id in ids)
                {
                    CompressedPostingRuns.WriteVarint(bytes, ref i, (uint)(id - previous));
                    previous = id;
                }
            }
            if (pass == 0) bytes = new byte[starts[^1]];
        }
        return new CompressedPostingRuns(starts, bytes);
    }

    private static int Map(int[]? toPaper, int id) => toPaper is null ? id : toPaper[id];

    /// <summary>One field's merged postings, term rank after term rank (<see cref="IdsOf"/> with ranks ascending): each
    /// term's ids gathered from every layer, mapped to paper ids, the dropped ones left out, in ascending order as a
    /// build gives them.</summary>
    private sealed class MergedPostings(IReadOnlyList<(TermLayer Terms, int[]? ToPaper)> layers, int[][] rankOf, int field)
    {
        private readonly int[] _at = new int[layers.Count];
        private int[] _buffer = [], _gathered = new int[16];

        /// <summary>The ids of merged term <paramref name="rank"/>; valid until the next call.</summary>
        public ReadOnlySpan<int> IdsOf(int rank)
        {
            int count = 0;
            for (int l = 0; l < layers.Count; l++)
            {
                // A layer's ranks ascend with its terms, apart from the dropped ones (-1): skip to the first at rank or past.
                var ranks = rankOf[l];
                while (_at[l] < ranks.Length && ranks[_at[l]] < rank) _at[l]++;
                if (_at[l] >= ranks.Length || ranks[_at[l]] != rank) continue;
                var (layer, toPaper) = layers[l];
                var local = layer.Postings[field].Ids(_at[l], _at[l] + 1, ref _buffer);
                if (_gathered.Length < count + local.Length) Array.Resize(ref _gathered, Math.Max(count + local.Length, _gathered.Length * 2));
                foreach (int id in local)
                    if (Map(toPaper, id) is int paper and >= 0) _gathered[count++] = paper;
                _at[l]++;
            }
            var ids = _gathered.AsSpan(0, count);
            if (!IsAscending(ids)) ids.Sort();
            return ids;
        }

        private static bool IsAscending(ReadOnlySpan<int> ids)
        {
            for (int i = 1; i < ids.Length; i++) if (ids[i] < ids[i - 1]) return false;
            return true;
        }
    }
}
