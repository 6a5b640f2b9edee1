using System.Text;
using PaperNotes.Core.Library;

namespace PaperNotes.Core.Search;

/// <summary>
/// What a search result shows of each paper, by paper id: its title and its short who-and-when ("Vaswani et al. ·
/// 2017"), as UTF-8 in one array. A completion lists 50 papers; reading them from the papers would decode each one not
/// decoded yet (its block of the compressed text decompressed: 0.15–0.3 ms), and keeping every paper decoded for that
/// cost a 100,000-paper library 60 MB, against 12 MB here. Immutable.
/// </summary>
public sealed class PaperCards
{
    private const byte Separator = 0; // between title and short: neither holds a NUL (titles are decoded text)
    private readonly byte[] _bytes;
    private readonly int[] _starts; // paper id -> where its card starts; one more at the end

    internal PaperCards(byte[] bytes, int[] starts)
    {
        _bytes = bytes;
        _starts = starts;
    }

    public int Count => _starts.Length - 1;
    internal byte[] Bytes => _bytes;
    internal int[] Starts => _starts;

    /// <summary>The paper's title (null when it has none).</summary>
    public string? Title(int id)
    {
        var card = Card(id);
        int split = card.IndexOf(Separator);
        return split <= 0 ? null : Encoding.UTF8.GetString(card[..split]);
    }

    /// <summary>"Vaswani et al. · 2017", as <c>PaperMarkdown.Short</c> gives it.</summary>
    public string Short(int id)
    {
        var card = Card(id);
        return Encoding.UTF8.GetString(card[(card.IndexOf(Separator) + 1)..]);
    }

    private ReadOnlySpan<byte> Card(int id) => _bytes.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    /// <summary>True when the offsets ascend from 0 to the end of the bytes and every card holds its separator (an image
    /// read back is checked so before use).</summary>
    internal bool IsWellFormed()
    {
        if (_starts.Length == 0 || _starts[0] != 0 || _starts[^1] != _bytes.Length) return false;
        for (int id = 0; id + 1 < _starts.Length; id++)
            if (_starts[id + 1] < _starts[id] || Card(id).IndexOf(Separator) < 0) return false;
        return true;
    }

    /// <summary>Cards added in paper id order.</summary>
    internal sealed class Builder(int capacity)
    {
        private readonly MemoryStream _bytes = new(capacity * 128);
        private readonly int[] _starts = new int[capacity + 1];
        private int _count;

        public void Add(Paper paper)
        {
            Write(paper.Title ?? "");
            _bytes.WriteByte(Separator);
            Write(Features.PaperMarkdown.Short(paper));
            _starts[++_count] = checked((int)_bytes.Length);
        }

        /// <summary>Card <paramref name="id"/> of <paramref name="from"/> as it is (an unchanged paper after a reload).</summary>
        public void Add(PaperCards from, int id)
        {
            _bytes.Write(from.Card(id));
            _starts[++_count] = checked((int)_bytes.Length);
        }

        private void Write(string text)
        {
            Span<byte> buffer = stackalloc byte[512];
            // A title is short; a pathological one goes through a heap buffer.
            int most = Encoding.UTF8.GetMaxByteCount(text.Length);
            var target = most <= buffer.Length ? buffer : new byte[most];
            var bytes = target[..Encoding.UTF8.GetBytes(text, target)];
            // Titles are decoded text; a NUL in one (a hand-made file) would end it early: drop it.
            if (bytes.IndexOf(Separator) < 0) _bytes.Write(bytes);
            else foreach (var b in bytes) if (b != Separator) _bytes.WriteByte(b);
        }

        public PaperCards Build()
        {
            if (_count != _starts.Length - 1) throw new InvalidOperationException("a card for every paper");
            return new PaperCards(_bytes.ToArray(), _starts);
        }
    }
}
