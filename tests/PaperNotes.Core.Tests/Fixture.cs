using PaperNotes.Core.Text;

namespace PaperNotes.Core.Tests;

/// <summary>
/// A workspace and a cursor in one string (rust-analyzer / texlab style): <c>//- path</c> starts a file,
/// <c>$0</c> marks the cursor, and a line of only spaces and <c>^</c> marks a range on the line above
/// (the marker line is dropped).
/// </summary>
public sealed class Fixture
{
    public required IReadOnlyDictionary<string, string> Files { get; init; }
    public string? CursorPath { get; init; }
    public int CursorOffset { get; init; }
    public IReadOnlyList<(string Path, TextSpan Span)> Ranges { get; init; } = [];

    public static Fixture Parse(string fixture)
    {
        var files = new Dictionary<string, string>();
        var ranges = new List<(string, TextSpan)>();
        string? cursorPath = null;
        int cursorOffset = 0;
        string? path = null;
        var sb = new System.Text.StringBuilder();
        int previousLineStart = 0;

        void Flush()
        {
            if (path is null) return;
            var text = sb.ToString();
            int cursor = text.IndexOf("$0", StringComparison.Ordinal);
            if (cursor >= 0)
            {
                text = text.Remove(cursor, 2);
                cursorPath = path;
                cursorOffset = cursor;
            }
            files[path] = text;
            sb.Clear();
        }

        foreach (var rawLine in fixture.Replace("\r\n", "\n").Split('\n'))
        {
            var line = rawLine;
            if (line.TrimStart().StartsWith("//- ", StringComparison.Ordinal))
            {
                Flush();
                path = line.Trim()[4..].Trim();
                continue;
            }
            if (path is null) continue;
            if (line.Contains('^') && line.Trim().All(c => c == '^'))
            {
                int start = line.IndexOf('^');
                int end = line.LastIndexOf('^') + 1;
                var previous = sb.ToString(previousLineStart, sb.Length - previousLineStart);
                int cursorBefore = previous.IndexOf("$0", StringComparison.Ordinal);
                int adjust = cursorBefore >= 0 && cursorBefore < start ? -2 : 0;
                ranges.Add((path, TextSpan.FromBounds(previousLineStart + start + adjust, previousLineStart + end + adjust)));
                continue;
            }
            previousLineStart = sb.Length;
            sb.Append(line).Append('\n');
        }
        Flush();
        return new Fixture { Files = files, CursorPath = cursorPath, CursorOffset = cursorOffset, Ranges = ranges };
    }
}

public static class Repo
{
    /// <summary>The repository root: the folder holding PaperNotes.sln.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PaperNotes.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("PaperNotes.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// A file or folder of the workplace's shared test data: $PAPERNOTES_SHARED, else ../shared next to the
    /// repository, else /work/shared (where a clone elsewhere still finds it). Fails loudly when absent.
    /// </summary>
    public static string Shared(string relative)
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("PAPERNOTES_SHARED"),
            Path.Combine(Root, "..", "shared"),
            "/work/shared",
        };
        foreach (var root in candidates)
        {
            if (string.IsNullOrEmpty(root)) continue;
            var path = Path.GetFullPath(Path.Combine(root, relative));
            if (File.Exists(path) || Directory.Exists(path)) return path;
        }
        throw new InvalidOperationException(
            $"shared test data missing: {relative} (looked in $PAPERNOTES_SHARED, ../shared next to the repository, /work/shared)");
    }
}
