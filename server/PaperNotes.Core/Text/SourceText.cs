namespace PaperNotes.Core.Text;

/// <summary>
/// The text a library file was built from, kept so its entries can be decoded when first read: the whole string (a
/// file open in the editor, a small file), or <see cref="CompressedText"/> for a file read as it streams from disk.
/// Offsets are UTF-16 offsets into the whole text, as in every <see cref="TextSpan"/>.
/// </summary>
public abstract class SourceText
{
    public abstract int Length { get; }

    /// <summary>A string holding at least [<paramref name="start"/>, <paramref name="end"/>) and the offset in the
    /// whole text of its first character.</summary>
    public abstract (string Window, int Base) WindowOver(int start, int end);

    /// <summary>The text of <paramref name="span"/>.</summary>
    public string Slice(TextSpan span)
    {
        var (window, @base) = WindowOver(span.Start, span.End);
        return window.Substring(span.Start - @base, span.Length);
    }

    /// <summary>About what keeping this text costs, in bytes.</summary>
    public abstract long RetainedBytes { get; }

    /// <summary>Done once the text is held as it will be from then on (never faulted): a first read's text is compressed
    /// meanwhile (<see cref="CompressingText"/>); every other text already is.</summary>
    public virtual Task Settled => Task.CompletedTask;

    /// <summary>Texts this long and longer are kept compressed by <see cref="Keep"/>: from the size at which a BibTeX
    /// file streams in (and keeps a <see cref="CompressedText"/>) rather than being read whole.</summary>
    public const int CompressFromLength = 16 << 20;

    /// <summary>A text read whole, kept for later reads: as it is when small (or held elsewhere anyway, as an open
    /// document's), compressed when it is big (a 100 MB CSL-JSON library would otherwise keep a 200 MB string).</summary>
    public static SourceText Keep(string text) => text.Length < CompressFromLength ? new StringText(text) : CompressedText.Of(text);
}

/// <summary>A text held as one string.</summary>
public sealed class StringText(string text) : SourceText
{
    public override int Length => text.Length;
    public override (string Window, int Base) WindowOver(int start, int end) => (text, 0);
    public override long RetainedBytes => 2L * text.Length;
}
