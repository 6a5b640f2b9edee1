using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.Csl;

/// <summary>Parses a CSL-JSON array (Zotero, Better BibTeX, pandoc). Never throws.</summary>
public static class CslJsonParser
{
    public static LibraryFile Parse(string path, string text) =>
        new(path, [], [], LineIndex.Create(text)); // TODO: real parser (in progress)
}
