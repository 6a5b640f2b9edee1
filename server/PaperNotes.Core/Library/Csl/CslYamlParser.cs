using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.Csl;

/// <summary>Parses CSL-YAML as pandoc writes it: `references:` list or a bare list. Never throws.</summary>
public static class CslYamlParser
{
    public static LibraryFile Parse(string path, string text) =>
        new(path, [], [], LineIndex.Create(text)); // TODO: real parser (in progress)

    /// <summary>Reads CSL items from a YAML sequence (a note's front-matter `references:`).
    /// Spans are the node marks' indexes plus <paramref name="offsetDelta"/>.</summary>
    public static void ReadItems(string path, YamlDotNet.RepresentationModel.YamlNode node, int offsetDelta,
        ICollection<Paper> papers, ICollection<LibraryError> errors)
    {
        // TODO: real reader (in progress)
    }
}
