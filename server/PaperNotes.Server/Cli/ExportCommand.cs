using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Library.Csl;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.IO;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Cli;

public enum ExportFormat { CslJson, CslYaml, BibTeX }

/// <summary>What to export: the paths given (at most one folder, plus notes and library files), whether only cited
/// entries, and where to.</summary>
public sealed record ExportOptions(IReadOnlyList<string> Paths, ExportFormat Format, bool Cited, string? Output);

/// <summary>
/// <c>papernotes export [PATH…] --format csl-json|csl-yaml|bibtex [--cited] [-o FILE]</c>: the items of the
/// workspace's libraries (or of the library files given) through the one CSL view, in library order (files in path
/// order, entries in file order; a duplicate key's first definition wins, as everywhere); with <c>--cited</c> only
/// those the notes given (else every note) cite, a note's own <c>references:</c> included. Exit 0, 1 when something
/// could not be exported (unknown cited key, broken library entry, a key BibTeX cannot hold, an unwritable output;
/// the rest is still written), 2 for usage errors.
/// </summary>
public static class ExportCommand
{
    public static int Run(ExportOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (Workspace(options.Paths, stderr) is not { } target) return CheckCommand.ExitUsage;
        var (root, notePaths, libraryPaths) = target;

        var scan = DiskLoader.Scan(root);
        if (scan.ConfigError is not null) stderr.WriteLine($"papernotes export: {scan.ConfigError} (using the default globs)");
        var snapshot = DiskLoader.Load(scan);
        // files named on the command line count even when the workspace's globs leave them out
        foreach (var path in notePaths.Where(p => snapshot.Notes.Find(p) is null))
            if (DiskLoader.LoadNote(path) is { } note) snapshot = DiskLoader.LoadBibliographies(snapshot.WithNote(note), note);
        foreach (var path in libraryPaths.Where(p => !snapshot.Libraries.Files.ContainsKey(p)))
            snapshot = snapshot.WithLibrary(DiskLoader.LoadLibrary(path, LibraryParser.KindOf(path, lenient: true) ?? LibraryKind.BibTeX));

        var errors = new List<string>();
        void Error(string path, int offset, string message, string code)
        {
            var position = snapshot.LinesOf(path)?.GetPosition(offset);
            errors.Add($"{snapshot.RelativePath(path)}:{(position?.Line ?? 0) + 1}:{(position?.Character ?? 0) + 1}: error: {message} [{code}]");
        }

        // every item of the chosen libraries, first definition of a key wins
        var libraries = libraryPaths.Count > 0 ? libraryPaths.Order(StringComparer.Ordinal).ToList() : [.. snapshot.Libraries.Paths];
        var items = new Dictionary<string, Sourced>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var path in libraries)
        {
            var file = snapshot.Libraries.Files[path];
            foreach (var e in file.Errors) Error(path, e.Span.Start, e.Message, "library-syntax");
            // From the text the loaded file keeps (a file that could not be read has none: the load reported it).
            foreach (var item in LibraryCslItems.Of(file))
                if (items.TryAdd(item.Id, new Sourced(item, path))) order.Add(item.Id);
        }

        var notes = notePaths.Count > 0 ? notePaths.Select(snapshot.Notes.Find).OfType<Note>().ToList()
            : snapshot.Notes.Notes.Values.OrderBy(n => n.Path, StringComparer.Ordinal).ToList();
        var chosen = new List<Sourced>();
        if (options.Cited)
        {
            var cited = new HashSet<string>(StringComparer.Ordinal);
            var local = new List<Sourced>();
            foreach (var note in notes)
                foreach (var citation in note.Citations)
                {
                    if (!cited.Add(citation.Key)) continue;
                    if (note.FrontMatter.References.FirstOrDefault(r => r.Key == citation.Key) is { } reference)
                        local.Add(new Sourced(CslView.FromPaper(reference), note.Path, reference.KeySpan.Start));
                    else if (!items.ContainsKey(citation.Key))
                        Error(note.Path, citation.KeySpan.Start, $"unknown citation key '{citation.Key}'", "unknown-citation");
                }
            // library order, then the notes' own references (a key a note defines itself is that note's)
            var localKeys = local.Select(l => l.Item.Id).ToHashSet(StringComparer.Ordinal);
            chosen.AddRange(order.Where(k => cited.Contains(k) && !localKeys.Contains(k)).Select(k => items[k]));
            chosen.AddRange(local);
        }
        else
        {
            chosen.AddRange(order.Select(k => items[k]));
            // notes given without --cited add their own references
            foreach (var note in notePaths.Count > 0 ? notes : [])
                foreach (var reference in note.FrontMatter.References)
                    if (!items.ContainsKey(reference.Key) && chosen.All(c => c.Item.Id != reference.Key))
                        chosen.Add(new Sourced(CslView.FromPaper(reference), note.Path, reference.KeySpan.Start));
        }

        if (options.Format == ExportFormat.BibTeX)
            foreach (var s in chosen.Where(s => !BibWriter.IsKey(s.Item.Id)))
                Error(s.Path, s.Offset ?? KeyOffset(snapshot, s), $"key '{s.Item.Id}' cannot be a BibTeX key (space, comma, brace, quote, '=', '#', '%', '@' or '\\'); entry left out", "export");

        var output = options.Format switch
        {
            ExportFormat.CslJson => CslJson.Write(chosen.Select(s => s.Item)),
            ExportFormat.CslYaml => CslYamlWriter.WriteItems(chosen.Select(s => s.Item)),
            _ => BibWriter.Write(chosen.Select(s => s.Item)),
        };
        foreach (var e in errors) stderr.WriteLine(e);
        if (options.Output is null) stdout.Write(output);
        else
        {
            try
            {
                AtomicFile.WriteAllText(options.Output, output);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                stderr.WriteLine($"papernotes export: cannot write {options.Output}: {ex.Message}");
                return CheckCommand.ExitErrors;
            }
        }
        return errors.Count > 0 ? CheckCommand.ExitErrors : CheckCommand.ExitOk;
    }

    /// <summary>An item and where it is defined (<paramref name="Offset"/> when known without a lookup).</summary>
    private sealed record Sourced(CslItem Item, string Path, int? Offset = null);

    private static int KeyOffset(Snapshot snapshot, Sourced s) =>
        snapshot.Libraries.DefinitionsOf(s.Item.Id).FirstOrDefault(p => p.SourcePath == s.Path)?.KeySpan.Start ?? 0;

    /// <summary>The workspace folder and the notes and library files named: at most one folder; without one, the
    /// nearest folder above the first file with <c>.papernotes.yaml</c> or <c>.git</c>, else the current folder when it
    /// holds the files, else the first file's folder. Null (after one line on stderr) for a usage error.</summary>
    private static (string Root, List<string> Notes, List<string> Libraries)? Workspace(IReadOnlyList<string> paths, TextWriter stderr)
    {
        string? folder = null;
        var notes = new List<string>();
        var libraries = new List<string>();
        foreach (var raw in paths)
        {
            if (raw.StartsWith('-'))
                return Usage(stderr, $"unknown option '{raw}'");
            string full;
            try { full = Path.GetFullPath(raw); }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                return Usage(stderr, $"bad path '{raw}': {ex.Message}");
            }
            if (Directory.Exists(full))
            {
                if (folder is not null) return Usage(stderr, $"one workspace folder at a time: {folder} and {raw}");
                folder = full;
            }
            else if (!File.Exists(full)) return Usage(stderr, $"no such file or directory: {raw}");
            else if (NotePaths.IsNote(full)) notes.Add(PathUtil.Normalize(full));
            else if (LibraryParser.KindOf(full, lenient: true) is not null) libraries.Add(PathUtil.Normalize(full));
            else return Usage(stderr, $"not a note (.md) or library file (.bib, .json, .yaml): {raw}");
        }
        var files = notes.Concat(libraries).ToList();
        var root = folder ?? (files.Count == 0 ? Path.GetFullPath(".") : RootOf(files[0]));
        var normalizedRoot = PathUtil.Normalize(root);
        foreach (var file in files)
            if (!PathUtil.IsUnder(normalizedRoot, file)) return Usage(stderr, $"{file} is outside the workspace {root}");
        return (root, notes, libraries);
    }

    private static string RootOf(string file)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, ".papernotes.yaml")) || Directory.Exists(Path.Combine(dir, ".git")) || File.Exists(Path.Combine(dir, ".git")))
                return dir;
        var current = Path.GetFullPath(".");
        return PathUtil.IsUnder(PathUtil.Normalize(current), file) ? current : Path.GetDirectoryName(file)!;
    }

    private static (string, List<string>, List<string>)? Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine($"papernotes export: {message} (see 'papernotes export --help')");
        return null;
    }
}
