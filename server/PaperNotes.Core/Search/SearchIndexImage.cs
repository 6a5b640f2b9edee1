using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Search;

/// <summary>
/// A built search index as bytes: ranks, sorted keys, terms, postings (the abstract postings as their varint bytes) and
/// what each hit shows (<see cref="HitLabels"/>). Read back over the same papers in the same order (a library set whose
/// files have the same content), it is the index it was, without decoding a paper: a warm start searches at once, and
/// decodes only the papers asked for.
/// Whether an image belongs to a library set is the caller's to decide (the server's cache keys it by the files'
/// content hashes and checksums it); reading only checks that the bytes make a well-formed index over that many
/// papers, so damaged bytes give null, never an index that reads outside its arrays.
/// </summary>
public static class SearchIndexImage
{
    /// <summary>Changes whenever what is written (or how an index is built) changes.</summary>
    public const int FormatVersion = 2; // 2: the hit labels

    public static void Write(SearchIndex index, Stream output)
    {
        using var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        // An index carried over after a reload is written as the one layer it would be if built over the same papers.
        index = index.Flattened();
        var layer = index.SingleLayer!;
        w.Write(FormatVersion);
        w.Write(index.Count);
        ImageIO.WriteInts(w, index.Order);
        ImageIO.WriteStrings(w, layer.SortedKeys);
        ImageIO.WriteInts(w, layer.SortedKeyIds);
        ImageIO.WriteStrings(w, layer.Terms);
        foreach (var runs in layer.Postings)
        {
            switch (runs)
            {
                case PlainPostingRuns plain:
                    w.Write((byte)0);
                    ImageIO.WriteInts(w, plain.Starts);
                    ImageIO.WriteInts(w, plain.PaperIds);
                    break;
                case CompressedPostingRuns compressed:
                    w.Write((byte)1);
                    ImageIO.WriteInts(w, compressed.Starts);
                    ImageIO.WriteBytes(w, compressed.Bytes);
                    break;
            }
        }
        // Every single layer has labels (built, read back, or merged by Flattened).
        (layer.Labels ?? throw new InvalidOperationException("a search index without hit labels")).Write(w);
    }

    /// <summary>The index an image holds, over <paramref name="papers"/>; null when the bytes do not make one over that many.</summary>
    public static SearchIndex? Read(Stream input, IReadOnlyList<Paper> papers)
    {
        try
        {
            using var r = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
            if (r.ReadInt32() != FormatVersion) return null;
            int n = r.ReadInt32();
            if (n != papers.Count) return null;
            var order = ImageIO.ReadInts(r, ImageIO.Count(r, n));
            var sortedKeys = ImageIO.ReadStrings(r, ImageIO.Count(r, n));
            var sortedKeyIds = ImageIO.ReadInts(r, ImageIO.Count(r, n));
            if (order.Length != n || sortedKeys.Length != n || sortedKeyIds.Length != n || !AllBelow(order, n) || !AllBelow(sortedKeyIds, n)) return null;
            var terms = ImageIO.ReadStrings(r, ImageIO.Count(r, int.MaxValue));
            var postings = new PostingRuns[SearchIndex.Fields];
            for (int f = 0; f < postings.Length; f++)
            {
                byte kind = r.ReadByte();
                var starts = ImageIO.ReadInts(r, ImageIO.Count(r, terms.Length + 1));
                if (starts.Length != terms.Length + 1 || !Ascending(starts)) return null;
                if (kind == 0 && f != SearchIndex.AbstractField)
                {
                    var ids = ImageIO.ReadInts(r, ImageIO.Count(r, int.MaxValue));
                    if (starts[^1] != ids.Length || !AllBelow(ids, n)) return null;
                    postings[f] = new PlainPostingRuns(starts, ids);
                }
                else if (kind == 1 && f == SearchIndex.AbstractField)
                {
                    var bytes = ImageIO.ReadBytes(r);
                    if (starts[^1] != bytes.Length) return null;
                    var runs = new CompressedPostingRuns(starts, bytes);
                    if (!runs.AllIdsBelow(n)) return null;
                    postings[f] = runs;
                }
                else return null;
            }
            if (HitLabels.Read(r, n) is not { } labels) return null;
            return new SearchIndex(papers, order, new TermLayer(sortedKeys, sortedKeyIds, terms, postings, labels));
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or InvalidDataException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    private static bool AllBelow(int[] values, int n)
    {
        foreach (int v in values) if ((uint)v >= (uint)n) return false;
        return true;
    }

    private static bool Ascending(int[] values)
    {
        if (values.Length == 0 || values[0] != 0) return false;
        for (int i = 1; i < values.Length; i++) if (values[i] < values[i - 1]) return false;
        return true;
    }
}
