namespace PaperNotes.Core.Text;

/// <summary>A binary file named .bib or .md gets one error instead of findings about garbage.</summary>
internal static class BinaryText
{
    public const string Message = "binary file (a NUL character here), not read; a UTF-16 text file needs a byte order mark";

    /// <summary>Where a NUL is in the first 8 K characters, or -1: how git tells binary files from text.</summary>
    public static int FirstNul(string text) => text.AsSpan(0, Math.Min(text.Length, 8192)).IndexOf('\0');
}
