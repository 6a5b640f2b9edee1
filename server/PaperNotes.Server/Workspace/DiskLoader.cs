using System.Collections.Concurrent;
using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Server.Workspace;

/// <summary>What was found on disk: the files to parse, and the config that chose them.</summary>
public sealed record DiskScan(string Root, WorkspaceConfig Config, string? ConfigError, IReadOnlyList<string> LibraryPaths, IReadOnlyList<string> NotePaths);

/// <summary>
/// Reads a workspace folder from disk into a <see cref="Snapshot"/>: the only place (with the LSP's
/// document store) that touches the file system. Parsing runs in parallel across files.
/// </summary>
public static class DiskLoader
{
    public static DiskScan Scan(string root, WorkspaceConfig? overrideConfig = null)
    {
        root = PathUtil.Normalize(Path.GetFullPath(root));
        var configPath = Path.Combine(root, WorkspaceConfig.FileName);
        (WorkspaceConfig config, string? error) = File.Exists(configPath)
            ? WorkspaceConfig.Parse(ReadText(configPath) ?? "")
            : (WorkspaceConfig.Default, null);
        if (overrideConfig is not null) config = config.Override(overrideConfig.LibraryGlobs, overrideConfig.NoteGlobs);
        var libraries = new List<string>();
        var notes = new List<string>();
        Walk(new DirectoryInfo(root), root, config, libraries, notes);
        libraries.Sort(StringComparer.Ordinal);
        notes.Sort(StringComparer.Ordinal);
        return new DiskScan(root, config, error is null ? null : $"{WorkspaceConfig.FileName}:{error}", libraries, notes);
    }

    private static void Walk(DirectoryInfo dir, string root, WorkspaceConfig config, List<string> libraries, List<string> notes)
    {
        IEnumerable<FileSystemInfo> entries;
        try { entries = dir.EnumerateFileSystemInfos(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var entry in entries)
        {
            if (entry is DirectoryInfo sub)
            {
                if (!WorkspaceConfig.IsSkippedFolder(sub.Name) && !sub.Attributes.HasFlag(FileAttributes.ReparsePoint))
                    Walk(sub, root, config, libraries, notes);
                continue;
            }
            var path = PathUtil.Normalize(entry.FullName);
            var relative = PathUtil.Relative(root, path);
            if (config.IsLibrary(relative)) libraries.Add(path);
            else if (config.IsNote(relative)) notes.Add(path);
        }
    }

    public static Snapshot Load(string root, WorkspaceConfig? overrideConfig = null) => Load(Scan(root, overrideConfig));

    public static Snapshot Load(DiskScan scan)
    {
        var snapshot = Snapshot.Create(scan.Root, scan.Config, LoadLibraries(scan.LibraryPaths), []);
        return LoadBibliographies(snapshot with { Notes = NoteSet.Create(LoadNotes(scan.NotePaths)) });
    }

    /// <summary>Parses library files in parallel, biggest first so one 50 MB file does not start last and finish alone.</summary>
    public static IReadOnlyList<LibraryFile> LoadLibraries(IEnumerable<string> paths)
    {
        var libraries = new ConcurrentBag<LibraryFile>();
        Parallel.ForEach(paths.OrderByDescending(SafeLength), Options,
            path => libraries.Add(LoadLibrary(path, LibraryParser.KindOf(path) ?? LibraryKind.BibTeX)));
        return libraries.ToList();
    }

    public static IReadOnlyList<Note> LoadNotes(IEnumerable<string> paths)
    {
        var notes = new ConcurrentBag<Note>();
        Parallel.ForEach(paths, Options, path =>
        {
            if (LoadNote(path) is { } note) notes.Add(note);
        });
        return notes.ToList();
    }

    private static readonly ParallelOptions Options = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>Loads front-matter bibliography files that exist on disk but are not loaded yet.</summary>
    public static Snapshot LoadBibliographies(Snapshot snapshot)
    {
        foreach (var path in snapshot.UnloadedBibliographies().ToList())
        {
            if (!File.Exists(path) || LibraryParser.KindOf(path, lenient: true) is not { } kind) continue;
            snapshot = snapshot.WithLibrary(LoadLibrary(path, kind));
        }
        return snapshot;
    }

    public static LibraryFile LoadLibrary(string path, LibraryKind kind)
    {
        var text = ReadText(path, out var error);
        if (text is null)
            return new LibraryFile(path, [], [new LibraryError(new TextSpan(0, 0), $"could not read file: {error}")], LineIndex.Create(""));
        return LibraryParser.Parse(path, text, kind);
    }

    public static Note? LoadNote(string path)
    {
        var text = ReadText(path);
        return text is null ? null : NoteParser.Parse(path, text);
    }

    public static string? ReadText(string path) => ReadText(path, out _);

    /// <summary>UTF-8 (BOM-aware; invalid bytes become U+FFFD), or null with the reason.</summary>
    public static string? ReadText(string path, out string? error)
    {
        try
        {
            error = null;
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            return null;
        }
    }

    private static long SafeLength(string path)
    {
        try { return new FileInfo(path).Length; } catch (IOException) { return 0; }
    }
}
