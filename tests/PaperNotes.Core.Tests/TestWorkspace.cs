using PaperNotes.Core.Diagnostics;
using PaperNotes.Core.Features;
using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests;

/// <summary>
/// A <see cref="Fixture"/> turned into a real <see cref="Snapshot"/> rooted at <c>/w</c>: notes through
/// <see cref="NoteParser"/>, library files (by the default globs) through <see cref="LibraryParser"/>, then the
/// front-matter bibliographies that exist among the fixture files (as the disk loader does; missing ones stay
/// missing). Renders results as stable text: paths relative to the root, positions as 0-based LSP
/// <c>line:col</c>, ranges as <c>path:line:col-line:col</c>.
/// </summary>
public sealed class TestWorkspace
{
    public const string Root = "/w";

    public required Snapshot Snapshot { get; init; }
    /// <summary>Every fixture file by absolute path, loaded or not.</summary>
    public required IReadOnlyDictionary<string, string> Texts { get; init; }
    public string? CursorPath { get; init; }
    /// <summary>The first file of the fixture: the document of whole-file features when there is no cursor.</summary>
    public required string FirstPath { get; init; }
    public int CursorOffset { get; init; }
    /// <summary>Ranges marked with <c>^^^</c>, absolute paths.</summary>
    public IReadOnlyList<(string Path, TextSpan Span)> Ranges { get; init; } = [];

    public static TestWorkspace From(string fixture)
    {
        var parsed = Fixture.Parse(fixture);
        var texts = parsed.Files.ToDictionary(f => Abs(f.Key), f => f.Value, StringComparer.Ordinal);
        return new TestWorkspace
        {
            Snapshot = Build(texts),
            Texts = texts,
            CursorPath = parsed.CursorPath is null ? null : Abs(parsed.CursorPath),
            FirstPath = Abs(fixture.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim())
                .First(l => l.StartsWith("//- ", StringComparison.Ordinal))[4..].Trim()),
            CursorOffset = parsed.CursorOffset,
            Ranges = parsed.Ranges.Select(r => (Abs(r.Path), r.Span)).ToList(),
        };
    }

    /// <summary>A snapshot built from scratch from files (absolute path → text).</summary>
    public static Snapshot Build(IReadOnlyDictionary<string, string> texts, string root = Root)
    {
        var libraries = new List<LibraryFile>();
        var notes = new List<Note>();
        foreach (var (path, text) in texts)
        {
            var relative = PathUtil.Relative(root, path);
            if (WorkspaceConfig.Default.IsLibrary(relative) && LibraryParser.KindOf(path, lenient: true) is { } kind)
                libraries.Add(LibraryParser.Parse(path, text, kind));
            else if (WorkspaceConfig.Default.IsNote(relative))
                notes.Add(NoteParser.Parse(path, text));
        }
        var snapshot = Snapshot.Create(root, WorkspaceConfig.Default, libraries, notes);
        return LoadBibliographies(snapshot, texts);
    }

    /// <summary>Front-matter bibliographies that exist among the files and are not loaded yet.</summary>
    public static Snapshot LoadBibliographies(Snapshot snapshot, IReadOnlyDictionary<string, string> texts)
    {
        foreach (var path in snapshot.UnloadedBibliographies().ToList())
            if (texts.TryGetValue(path, out var text) && LibraryParser.KindOf(path, lenient: true) is { } kind)
                snapshot = snapshot.WithLibrary(LibraryParser.Parse(path, text, kind));
        return snapshot;
    }

    public static string Abs(string relative) => PathUtil.Combine(Root, relative);

    /// <summary>The cursor's file, else the first file.</summary>
    public string Cursor => CursorPath ?? FirstPath;

    /// <summary>The feature context of a file (default: the cursor's, else the first), with its text.</summary>
    public FeatureContext Context(string? path = null)
    {
        path ??= Cursor;
        return new FeatureContext(Snapshot, path, Texts.GetValueOrDefault(path));
    }

    public string TextOf(string path) => Texts[path];

    public string Relative(string path) => PathUtil.Relative(Snapshot.Root, path);

    private LineIndex LinesOf(string path) =>
        Snapshot.LinesOf(path) ?? (Texts.TryGetValue(path, out var text) ? LineIndex.Create(text) : LineIndex.Create(""));

    public string Position(string path, int offset) => LinesOf(path).GetPosition(offset).ToString();

    /// <summary><c>path:line:col-line:col</c>, 0-based.</summary>
    public string Location(string path, TextSpan span)
    {
        var range = LinesOf(path).GetRange(span);
        return $"{Relative(path)}:{range.Start}-{range.End}";
    }

    public string Location(FileLocation location) => Location(location.Path, location.Span);

    /// <summary><c>path:line:col code: message</c>, then one indented line per related location.</summary>
    public string Render(Diagnostic d)
    {
        var line = $"{Relative(d.Path)}:{LinesOf(d.Path).GetPosition(d.Span.Start)} {d.Severity.ToString().ToLowerInvariant()} {d.Code}: {d.Message}";
        foreach (var related in d.Related)
            line += $"\n  related {Location(related.Path, related.Span)} {related.Message}";
        return line;
    }

    /// <summary>Every workspace diagnostic, in path then position order.</summary>
    public string RenderDiagnostics(DiagnosticOptions? options = null) =>
        string.Join("\n", DiagnosticCollector.ForWorkspace(Snapshot, options).SelectMany(p => p.Value).Select(Render));

    /// <summary>The text of a span, for readable expectations.</summary>
    public string Slice(string path, TextSpan span) => TextOf(path).Substring(span.Start, span.Length);
}

/// <summary>Shared assertion: expected and actual compared as trimmed text with '\n' line ends.</summary>
public static class Expect
{
    public static void Text(string expected, string actual)
    {
        string e = Normalize(expected), a = Normalize(actual);
        if (e != a) Assert.Fail($"text differs\n--- expected\n{e}\n--- actual\n{a}\n---");
    }

    private static string Normalize(string s) => s.Replace("\r\n", "\n").Trim();
}
