using PaperNotes.Core.Library;

namespace PaperNotes.Core.Search;

/// <summary>
/// What a search hit shows of each paper of a layer (its title and its short who-and-when), as UTF-8, by the layer's
/// ids: a completion lists 50 hits, and a lazily decoded library keeps no paper a pass decoded, so without these each hit
/// would decode its entry (a compressed block each: 5–10 ms a completion). About 130 bytes a paper against ~750 for a
/// decoded one. Immutable once built; kept in an index's image (<see cref="Write"/>, <see cref="Read"/>), so a warm start
/// decodes no hit either.
/// </summary>
internal sealed class HitLabels
{
    private const int ChunkBits = 20, ChunkBytes = 1 << ChunkBits;
    // A label this long (a pathological title) is not stored: that hit decodes its paper.
    private const int MaxLabelBytes = 16 * 1024;
    // Each paper's title then who-and-when, in chunks a paper's labels never straddle (one large array would be copied as
    // it grew: 120 MB at a million papers), each cut to what it holds once full. _at[2i] is where paper i's title starts,
    // _at[2i + 1] its who-and-when, and its end is _at[2i + 2] when that is in the same chunk, else the chunk's end:
    // (chunk << 20) | offset.
    private readonly byte[][] _chunks;
    private readonly int[] _at;
    private readonly System.Collections.BitArray _untitled;
    private readonly System.Collections.BitArray _unlabelled;

    private HitLabels(byte[][] chunks, int[] at, System.Collections.BitArray untitled, System.Collections.BitArray unlabelled)
    {
        _chunks = chunks;
        _at = at;
        _untitled = untitled;
        _unlabelled = unlabelled;
    }

    /// <summary>Paper <paramref name="id"/>'s title (null when it has none) and short who-and-when
    /// (<see cref="Features.PaperMarkdown.Short"/>); false when they were too long to keep.</summary>
    public bool TryGet(int id, out string? title, out string who)
    {
        title = null;
        who = "";
        if (_unlabelled[id]) return false;
        int at = _at[2 * id], whoAt = _at[2 * id + 1], next = _at[2 * id + 2];
        var chunk = _chunks[at >> ChunkBits];
        int end = next >> ChunkBits == at >> ChunkBits ? next & (ChunkBytes - 1) : chunk.Length;
        if (!_untitled[id]) title = System.Text.Encoding.UTF8.GetString(chunk, at & (ChunkBytes - 1), (whoAt - at));
        who = System.Text.Encoding.UTF8.GetString(chunk, whoAt & (ChunkBytes - 1), end - (whoAt & (ChunkBytes - 1)));
        return true;
    }

    /// <summary>What a hit shows of a decoded paper: its title and short who-and-when (<see cref="Features.PaperMarkdown.Short"/>).</summary>
    public static (string? Title, string Who) Of(Paper paper) => (paper.Title, Features.PaperMarkdown.Short(paper));

    /// <summary>How many papers the labels are of.</summary>
    public int Count => _untitled.Length;

    /// <summary>The labels as bytes (<see cref="Read"/> reads them back): the chunks, each paper's positions, and the two
    /// bit sets.</summary>
    public void Write(BinaryWriter w)
    {
        w.Write(Count);
        w.Write(_chunks.Length);
        foreach (var chunk in _chunks) Workspace.ImageIO.WriteBytes(w, chunk);
        Workspace.ImageIO.WriteInts(w, _at);
        Workspace.ImageIO.WriteBytes(w, Bits(_untitled));
        Workspace.ImageIO.WriteBytes(w, Bits(_unlabelled));

        static byte[] Bits(System.Collections.BitArray bits)
        {
            var bytes = new byte[(bits.Length + 7) / 8];
            bits.CopyTo(bytes, 0);
            return bytes;
        }
    }

    /// <summary>Labels of <paramref name="count"/> papers read back; null when the bytes do not make labels that read
    /// inside their chunks (a damaged image must not give a label that reads outside its arrays).</summary>
    public static HitLabels? Read(BinaryReader r, int count)
    {
        if (r.ReadInt32() != count) return null;
        int chunkCount = Workspace.ImageIO.Count(r, count + 1);
        var chunks = new byte[chunkCount][];
        for (int c = 0; c < chunkCount; c++) chunks[c] = Workspace.ImageIO.ReadBytes(r, ChunkBytes - 1);
        var at = Workspace.ImageIO.ReadInts(r, Workspace.ImageIO.Count(r, 2 * count + 1));
        var untitled = Workspace.ImageIO.ReadBytes(r, (count + 7) / 8);
        var unlabelled = Workspace.ImageIO.ReadBytes(r, (count + 7) / 8);
        if (at.Length != 2 * count + 1 || untitled.Length != (count + 7) / 8 || unlabelled.Length != untitled.Length) return null;
        for (int id = 0; id < count; id++)
        {
            int start = at[2 * id], who = at[2 * id + 1], next = at[2 * id + 2];
            int chunk = start >> ChunkBits;
            if (start < 0 || (uint)chunk >= (uint)chunkCount || who >> ChunkBits != chunk || who < start) return null;
            int end = next >> ChunkBits == chunk ? next & (ChunkBytes - 1) : chunks[chunk].Length;
            if (next < who || end < (who & (ChunkBytes - 1)) || end > chunks[chunk].Length) return null;
        }
        return new HitLabels(chunks, at, Bits(untitled, count), Bits(unlabelled, count));

        static System.Collections.BitArray Bits(byte[] bytes, int length) => new(bytes) { Length = length };
    }

    /// <summary>Builds labels in id order, one <see cref="Add"/> per paper.</summary>
    internal sealed class Builder(int count)
    {
        private readonly List<byte[]> _chunks = [];
        private readonly int[] _at = new int[2 * count + 1];
        private readonly System.Collections.BitArray _untitled = new(count);
        private readonly System.Collections.BitArray _unlabelled = new(count);
        private byte[] _chunk = [];
        private int _used;
        private int _added;

        public void Add(Paper paper)
        {
            var (title, who) = Of(paper);
            Add(title, who);
        }

        /// <summary>The next paper's title (null when it has none) and short who-and-when.</summary>
        public void Add(string? paperTitle, string who)
        {
            var title = paperTitle ?? "";
            int bytes = System.Text.Encoding.UTF8.GetByteCount(title) + System.Text.Encoding.UTF8.GetByteCount(who);
            if (bytes > MaxLabelBytes)
            {
                _unlabelled[_added] = true;
                bytes = 0;
                title = who = "";
            }
            // An offset stays below 1 << ChunkBits: a chunk is never filled to its last byte.
            if (_chunks.Count == 0 || _used + bytes >= _chunk.Length)
            {
                CutLast();
                _chunks.Add(_chunk = new byte[ChunkBytes]);
                _used = 0;
            }
            int chunk = (_chunks.Count - 1) << ChunkBits;
            _untitled[_added] = paperTitle is null;
            _at[2 * _added] = chunk | _used;
            _used += System.Text.Encoding.UTF8.GetBytes(title, _chunk.AsSpan(_used));
            _at[2 * _added + 1] = chunk | _used;
            _used += System.Text.Encoding.UTF8.GetBytes(who, _chunk.AsSpan(_used));
            _added++;
        }

        public HitLabels Build()
        {
            if (_added != _untitled.Length) throw new InvalidOperationException($"{_added} labels of {_untitled.Length}");
            CutLast();
            // Where the last paper's labels end.
            _at[2 * _added] = _chunks.Count == 0 ? 0 : ((_chunks.Count - 1) << ChunkBits) | _used;
            return new HitLabels([.. _chunks], _at, _untitled, _unlabelled);
        }

        /// <summary>The chunk being filled, cut to what it holds: its length is where its last labels end (and a reload's
        /// few changed papers do not hold a megabyte).</summary>
        private void CutLast()
        {
            if (_chunks.Count > 0 && _used < _chunk.Length) _chunks[^1] = _chunk[.._used];
        }
    }
}
