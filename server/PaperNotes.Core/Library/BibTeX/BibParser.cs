using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>Parses BibTeX/BibLaTeX into papers. Never throws; errors carry exact spans.</summary>
public static class BibParser
{
    public static LibraryFile Parse(string path, string text) =>
        new(path, [], [], LineIndex.Create(text)); // TODO: real parser (in progress)
}
