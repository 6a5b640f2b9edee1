using System.Buffers;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>A growable char buffer rented from the shared pool; one string allocation at the end.</summary>
internal ref struct CharBuffer
{
    private char[] _chars;
    private int _length;

    public CharBuffer(int capacity)
    {
        _chars = ArrayPool<char>.Shared.Rent(Math.Max(16, capacity));
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly char Last => _length == 0 ? '\0' : _chars[_length - 1];

    public readonly ReadOnlySpan<char> Written => _chars.AsSpan(0, _length);

    public void Append(char c)
    {
        if (_length == _chars.Length) Grow(1);
        _chars[_length++] = c;
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length) Grow(text.Length);
        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    public void TrimEnd()
    {
        while (_length > 0 && _chars[_length - 1] == ' ') _length--;
    }

    public void Truncate(int length) => _length = Math.Min(_length, Math.Max(0, length));

    public override readonly string ToString() => new(_chars, 0, _length);

    public void Dispose()
    {
        var chars = _chars;
        _chars = [];
        _length = 0;
        if (chars.Length > 0) ArrayPool<char>.Shared.Return(chars);
    }

    private void Grow(int extra)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + extra));
        _chars.AsSpan(0, _length).CopyTo(bigger);
        if (_chars.Length > 0) ArrayPool<char>.Shared.Return(_chars);
        _chars = bigger;
    }
}
