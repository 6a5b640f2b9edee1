using System.Collections.Immutable;
using PaperNotes.Core.Features;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Server.State;

/// <summary>The text of an editor-owned document as a snapshot was built from it: which change, which editor version.</summary>
public sealed record DocumentText(string Text, int Version, long Sequence);

/// <summary>One workspace folder: its Core snapshot, and whether its first full index is in.</summary>
public sealed record FolderState(string Root, Snapshot Snapshot, bool Indexed);

/// <summary>
/// Everything a request or a diagnostics pass reads, from one revision: every folder's Core snapshot, the
/// text and version of every open document those snapshots were built from, and the editor's settings. Immutable; the
/// <see cref="WorkspaceState"/> writer publishes a new one per change.
/// </summary>
public sealed record ServerSnapshot(
    long Revision, ImmutableArray<FolderState> Folders, ImmutableDictionary<string, DocumentText> Documents, EditorSettings Settings)
{
    public static readonly ServerSnapshot Empty = new(0, [], ImmutableDictionary.Create<string, DocumentText>(StringComparer.Ordinal), EditorSettings.Default);

    /// <summary>True once every folder has been indexed once: workspace-wide answers are complete.</summary>
    public bool Indexed => Folders.All(f => f.Indexed);

    /// <summary>The folder a file belongs to: the innermost folder holding it; a file outside every folder belongs
    /// to the first (it still gets the features, against that folder's libraries). Null before initialize.</summary>
    public FolderState? FolderOf(string path) => Folders.IsEmpty ? null : Folders[IndexOfFolder(Folders, path)];

    internal static int IndexOfFolder(ImmutableArray<FolderState> folders, string path)
    {
        int best = 0, bestLength = -1;
        for (int i = 0; i < folders.Length; i++)
        {
            var root = folders[i].Root;
            if (root.Length > bestLength && PathUtil.IsUnder(root, path)) (best, bestLength) = (i, root.Length);
        }
        return best;
    }

    /// <summary>Whether <paramref name="path"/> belongs to the folder at <paramref name="root"/> (not to a folder nested in it).</summary>
    public bool Owns(string root, string path) => FolderOf(path)?.Root == root;

    /// <summary>The editor version of an open document as this snapshot holds it.</summary>
    public int? VersionOf(string path) => Documents.TryGetValue(path, out var document) ? document.Version : null;

    /// <summary>What a feature needs about a file, all from this revision; null when no folder knows the file.</summary>
    public FeatureContext? Context(string path)
    {
        if (FolderOf(path)?.Snapshot is not { } snapshot || snapshot.LinesOf(path) is null) return null;
        return new FeatureContext(snapshot, path, Documents.GetValueOrDefault(path)?.Text) { Options = Options };
    }

    /// <summary>The settings as features take them; attachments are linked only when the file is there now.</summary>
    public FeatureOptions Options => new()
    {
        ZoteroLinks = Settings.ZoteroLinks,
        FileExists = File.Exists,
        InlayHints = new InlayHintOptions(Settings.CitationHints, Settings.CitationHintLength),
    };

    public int PaperCount => Folders.Sum(f => f.Snapshot.Libraries.Papers.Count);
    public int NoteCount => Folders.Sum(f => f.Snapshot.Notes.Notes.Count);
}
