using System.Collections.Concurrent;
using System.Text;
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
    /// <summary>Files larger than this are an error, not read (the text alone would take twice as much memory).</summary>
    public const long MaxFileBytes = 256L << 20;
    /// <summary>A BibTeX library streams in and is kept compressed, never as one string: it may be as big as offsets
    /// into it allow (a million papers with real abstracts are 1.5 GB).</summary>
    public const long MaxBibTeXBytes = int.MaxValue;
    /// <summary>BibTeX files from this size on stream in; smaller ones are read whole, which is 2.5x faster (no
    /// compression: a 15 MB file loads in 40 instead of 100 ms) and costs little memory at that size.</summary>
    public const long StreamFromBytes = 16L << 20;
    /// <summary>Front-matter bibliographies outside the library globs loaded at most (each note may name 100).</summary>
    public const int MaxBibliographyFiles = 1000;
    /// <summary>A NUL byte this early means a binary file: only this much is read, for the parser to say so.</summary>
    private const int BinarySniffBytes = 8192;

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

    public static Snapshot Load(string root, WorkspaceConfig? overrideConfig = null, LibraryCache? cache = null) => Load(Scan(root, overrideConfig), cache);

    /// <param name="cache">Where big libraries' images are read from and written to (the warm start); null: not at all.</param>
    public static Snapshot Load(DiskScan scan, LibraryCache? cache = null)
    {
        // Libraries and notes at once: a library read from the cache leaves a core free that the notes can use, and a
        // library file that is read (compressed on one core, scanned on the other) shares them with the notes. The notes'
        // indexes need no library, so they are built beside it too (2,000 notes: 0.3 s, a third of a warm start at 1M).
        IReadOnlyList<LibraryFile> libraries = [];
        NoteSet notes = NoteSet.Empty;
        Parallel.Invoke(() => libraries = LoadLibraries(scan.LibraryPaths, cache), () => notes = NoteSet.Create(LoadNotes(scan.NotePaths)));
        var snapshot = Snapshot.Create(scan.Root, scan.Config, libraries, []);
        return LoadBibliographies(snapshot with { Notes = notes });
    }

    /// <summary>Parses library files in parallel, biggest first so one 50 MB file does not start last and finish alone.</summary>
    public static IReadOnlyList<LibraryFile> LoadLibraries(IEnumerable<string> paths, LibraryCache? cache = null)
    {
        var libraries = new ConcurrentBag<LibraryFile>();
        Parallel.ForEach(paths.OrderByDescending(SafeLength), Options,
            path => libraries.Add(LoadLibrary(path, LibraryParser.KindOf(path, lenient: true) ?? LibraryKind.BibTeX, cache: cache)));
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

    /// <summary>Loads front-matter bibliography files that exist on disk but are not loaded yet, up to
    /// <see cref="MaxBibliographyFiles"/> outside the library globs; past that each is an error, not read.</summary>
    public static Snapshot LoadBibliographies(Snapshot snapshot, PaperNotes.Core.Notes.Note? onlyOf = null)
    {
        var wanted = snapshot.UnloadedBibliographies(onlyOf)
            .Where(path => File.Exists(path) && LibraryParser.KindOf(path, lenient: true) is not null).ToList();
        if (wanted.Count == 0) return snapshot;
        int room = MaxBibliographyFiles - snapshot.Libraries.Files.Keys.Count(p => !snapshot.Config.IsLibrary(snapshot.RelativePath(p)));
        var loaded = LoadLibraries(wanted.Take(Math.Max(0, room))).ToList();
        foreach (var path in wanted.Skip(Math.Max(0, room)))
            loaded.Add(new LibraryFile(path, [], [new LibraryError(new TextSpan(0, 0),
                $"not read: notes name more than {MaxBibliographyFiles} bibliography files outside the library folders")], LineIndex.Create("")));
        // One rebuild of the key index for all of them, not one per file.
        return snapshot with { Libraries = LibrarySet.Create(snapshot.Libraries.Files.Values.Concat(loaded)) };
    }

    /// <param name="previous">The version of the file being replaced, if any: unchanged BibTeX entries reuse its papers.</param>
    /// <param name="cache">Where a big BibTeX file's image is read from when it is of this very file, and written to
    /// after the file was read (the warm start); null: neither.</param>
    public static LibraryFile LoadLibrary(string path, LibraryKind kind, LibraryFile? previous = null, LibraryCache? cache = null)
    {
        string? error = null;
        if (kind == LibraryKind.BibTeX && SafeLength(path) >= StreamFromBytes && StreamBibTeX(path, previous, cache, out error) is { } streamed)
            return streamed;
        var text = error is null ? ReadText(path, out error) : null;
        if (text is null)
            return new LibraryFile(path, [], [new LibraryError(new TextSpan(0, 0), $"could not read file: {error}")], LineIndex.Create(""));
        // The text's own hash (not the bytes'): the same file gives the same one on every start, which is all a set's key needs.
        return LibraryParser.Parse(path, text, kind, previous) with
        {
            ContentHash = System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan())),
        };
    }

    /// <summary>A UTF-8 BibTeX file parsed as it is read (<see cref="BibStreamParser"/>); null (and no error) for a file
    /// <see cref="ReadText"/> must read: not a regular file, a binary one, or one with a UTF-16/32 byte order mark.</summary>
    internal static LibraryFile? StreamBibTeX(string path, LibraryFile? previous, LibraryCache? cache, out string? error)
    {
        // A first read's bytes wait for their compression in the cache's folder; if the read fails with them there (a
        // full disk), it is read again with them in memory.
        var library = StreamBibTeX(path, previous, cache, cache is null ? null : cache.Spill, out error, out bool failed);
        return failed && cache is not null ? StreamBibTeX(path, previous, cache, spill: null, out error, out _) : library;
    }

    private static LibraryFile? StreamBibTeX(string path, LibraryFile? previous, LibraryCache? cache, Func<int, ByteSlab>? spill, out string? error, out bool failed)
    {
        error = null;
        failed = false;
        try
        {
            if (Existing(path) is not { Length: > 0 } file) return null;
            if (file.Length > MaxBibTeXBytes)
            {
                error = $"the file is {file.Length >> 20:N0} MB; BibTeX files over {MaxBibTeXBytes >> 20:N0} MB are not read";
                return null;
            }
            if (cache?.TryLoad(path, file, previous) is ({ } cached, _)) return cached;
            using var stream = OpenShared(file);
            var buffer = new byte[1 << 20];
            int read = stream.ReadAtLeast(buffer.AsSpan(0, BinarySniffBytes), BinarySniffBytes, throwOnEndOfStream: false);
            var head = buffer.AsSpan(0, read);
            if (head.Contains((byte)0) || HasUnicodeBom(head)) return null;
            var parser = new Core.Library.BibTeX.BibStreamParser(path, file.Length, previous, spill);
            // What is there, up to the length it had when opened, with the content hash the cache keys the file's image by.
            var (hash, total) = ReadAhead.Read(stream, buffer, read, file.Length, (bytes, count) => parser.Append(bytes.AsSpan(0, count)));
            var library = parser.Finish() with { ContentHash = hash };
            // Stamped with the size and time it had when opened: if it changed while it was read, the image never matches.
            if (cache is not null && total == file.Length)
                _ = cache.StoreAsync(path, library, new SourceStamp(file.Length, file.LastWriteTimeUtc.Ticks, library.ContentHash!.Value));
            return library;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            failed = true;
            return null;
        }
    }

    /// <summary>The note, or one that says why it could not be read; null when the file is gone.</summary>
    public static Note? LoadNote(string path)
    {
        var text = ReadText(path, out var error, out bool missing);
        if (text is not null) return NoteParser.Parse(path, text);
        if (missing) return null;
        var empty = NoteParser.Parse(path, "");
        return empty with { Errors = [new NoteError(new TextSpan(0, 0), $"could not read file: {error}")] };
    }

    public static string? ReadText(string path) => ReadText(path, out _, out _);

    public static string? ReadText(string path, out string? error) => ReadText(path, out error, out _);

    /// <summary>
    /// UTF-8 (or UTF-16/32 with a byte order mark; invalid bytes become U+FFFD), or null with the reason
    /// (<paramref name="missing"/>: the file is not there, e.g. deleted meanwhile). Only regular files are opened:
    /// a link to a device or a pipe (/dev/zero, /dev/stdin, which in the server is the protocol) reads as empty,
    /// since they report no size. Reads at most <see cref="MaxFileBytes"/>, and of a binary file (a NUL in its
    /// first 8 KB) only those 8 KB.
    /// </summary>
    public static string? ReadText(string path, out string? error, out bool missing)
    {
        error = null;
        missing = false;
        try
        {
            if (Existing(path) is not { } file)
            {
                (missing, error) = (true, "file not found");
                return null;
            }
            long length = file.Length;
            if (length > MaxFileBytes)
            {
                error = $"the file is {length >> 20:N0} MB; files over {MaxFileBytes >> 20} MB are not read";
                return null;
            }
            if (length == 0) return "";
            using var stream = OpenShared(file);
            var bytes = new byte[length];
            int sniff = (int)Math.Min(length, BinarySniffBytes);
            int read = stream.ReadAtLeast(bytes.AsSpan(0, sniff), sniff, throwOnEndOfStream: false);
            var head = bytes.AsSpan(0, read);
            if (head.Contains((byte)0) && !HasUnicodeBom(head)) return Decode(head);
            if (read < length) read += stream.ReadAtLeast(bytes.AsSpan(read), bytes.Length - read, throwOnEndOfStream: false);
            return Decode(bytes.AsSpan(0, read)); // a file that shrank meanwhile: what was there
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            missing = e is FileNotFoundException or DirectoryNotFoundException;
            error = e.Message;
            return null;
        }
    }

    /// <summary>The file at <paramref name="path"/>, links followed to their final target; null when there is none.</summary>
    private static FileInfo? Existing(string path)
    {
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null) info = File.ResolveLinkTarget(path, returnFinalTarget: true) ?? info;
        return info is FileInfo { Exists: true } file ? file : null;
    }

    /// <summary>Opened to read while others may write, rename or delete it (editors and reference managers do).</summary>
    private static FileStream OpenShared(FileInfo file) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);

    private static bool HasUnicodeBom(ReadOnlySpan<byte> b) => b.StartsWith([(byte)0xFF, (byte)0xFE]) || b.StartsWith([(byte)0xFE, (byte)0xFF])
        || b.StartsWith([(byte)0, (byte)0, (byte)0xFE, (byte)0xFF]);

    /// <summary>What File.ReadAllText reads: UTF-8 unless a byte order mark says UTF-16 or UTF-32.</summary>
    private static string Decode(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith([(byte)0xEF, (byte)0xBB, (byte)0xBF])) return Encoding.UTF8.GetString(b[3..]);
        if (b.StartsWith([(byte)0xFF, (byte)0xFE, (byte)0, (byte)0])) return Encoding.UTF32.GetString(b[4..]);
        if (b.StartsWith([(byte)0xFF, (byte)0xFE])) return Encoding.Unicode.GetString(b[2..]);
        if (b.StartsWith([(byte)0xFE, (byte)0xFF])) return Encoding.BigEndianUnicode.GetString(b[2..]);
        if (b.StartsWith([(byte)0, (byte)0, (byte)0xFE, (byte)0xFF])) return new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(b[4..]);
        return Encoding.UTF8.GetString(b);
    }

    private static long SafeLength(string path)
    {
        try { return new FileInfo(path).Length; } catch (IOException) { return 0; }
    }
}
