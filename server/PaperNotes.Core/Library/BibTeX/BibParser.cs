using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// Parses BibTeX/BibLaTeX into papers, in source order. Never throws; errors carry exact spans and the
/// parser recovers at the next entry. Pipeline: <see cref="BibReader"/> (scan, @string, #) →
/// <see cref="BibInheritance"/> (crossref, xdata) → <see cref="BibEntryMapper"/> (decode, names, dates).
/// </summary>
public static class BibParser
{
    public static LibraryFile Parse(string path, string text)
    {
        text ??= "";
        var reader = new BibReader(text);
        var errors = reader.Errors;
        List<Paper> papers;
        try
        {
            reader.ReadAll();
            BibInheritance.Resolve(reader.Entries);
            papers = new List<Paper>(reader.Entries.Count);
            foreach (var entry in reader.Entries) papers.Add(BibEntryMapper.Map(entry, path, errors));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Parsers never fail: a bug here must not take the server down; report it where it happened.
            papers = [];
            errors.Add(new LibraryError(new TextSpan(0, 0), $"internal error while reading the file: {ex.Message}"));
        }
        errors.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return new LibraryFile(path, papers, errors, LineIndex.Create(text));
    }
}
