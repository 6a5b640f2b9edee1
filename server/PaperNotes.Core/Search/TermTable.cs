namespace PaperNotes.Core.Search;

/// <summary>
/// The search index build's terms, numbered as first met: open addressing over one array of (hash, id) pairs, so a
/// probe reads one slot and a term's text only when the hashes agree. A <see cref="Dictionary{TKey,TValue}"/> reads
/// a bucket, an entry and the text: the build looks up every word of every abstract (150 million at a million papers),
/// and those reads were most of its time. Hashes are the runtime's per-process randomized string hash, so no library
/// can be written to make every word collide.
/// </summary>
internal sealed class TermTable
{
    private long[] _slots = new long[1024]; // (hash << 32) | (id + 1); 0: empty
    private readonly List<string> _terms = [];

    /// <summary>The terms by id.</summary>
    public List<string> Terms => _terms;

    /// <summary>The word's term id, numbering it next when it is new.</summary>
    public int IdOf(ReadOnlySpan<char> word)
    {
        uint hash = (uint)string.GetHashCode(word);
        int mask = _slots.Length - 1;
        for (int i = (int)(hash & mask); ; i = (i + 1) & mask)
        {
            long slot = _slots[i];
            if (slot == 0)
            {
                int id = _terms.Count;
                _terms.Add(word.ToString());
                _slots[i] = (long)hash << 32 | (uint)(id + 1);
                if (_terms.Count * 2 > _slots.Length) Grow();
                return id;
            }
            if ((uint)(slot >>> 32) == hash && _terms[(int)(uint)slot - 1].AsSpan().SequenceEqual(word)) return (int)(uint)slot - 1;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new long[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (long slot in old)
        {
            if (slot == 0) continue;
            int i = (int)((uint)(slot >>> 32) & mask);
            while (_slots[i] != 0) i = (i + 1) & mask;
            _slots[i] = slot;
        }
    }
}
