using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PaperNotes.Core.Diagnostics;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Cli;

public enum OutputFormat { Text, Json }

/// <summary><c>papernotes check [DIR] [--format text|json] [--unused]</c>: every finding in the workspace; exit 1 when any is an error.</summary>
public static class CheckCommand
{
    public const int ExitOk = 0, ExitErrors = 1, ExitUsage = 2;

    /// <param name="cache">Where big libraries' images are kept between runs (the warm start); null: not used.</param>
    public static int Run(string directory, OutputFormat format, TextWriter stdout, TextWriter stderr, DiagnosticOptions? options = null, LibraryCache? cache = null)
    {
        if (directory.StartsWith('-'))
        {
            stderr.WriteLine($"papernotes check: unknown option '{directory}' (see 'papernotes check --help')");
            return ExitUsage;
        }
        if (!Directory.Exists(directory))
        {
            stderr.WriteLine($"papernotes check: no such directory: {directory}");
            return ExitUsage;
        }
        var scan = DiskLoader.Scan(directory);
        if (scan.ConfigError is not null) stderr.WriteLine($"papernotes check: {scan.ConfigError} (using the default globs)");
        var snapshot = DiskLoader.Load(scan, cache);
        var findings = Flatten(snapshot, options ?? DiagnosticOptions.ProblemsOnly);
        if (format == OutputFormat.Json) WriteJson(findings, stdout);
        else WriteText(snapshot, findings, stdout);
        return findings.Any(f => f.Severity == Severity.Error) ? ExitErrors : ExitOk;
    }

    /// <summary>One row per finding, 1-based line and column (UTF-16), sorted by path then position.</summary>
    public sealed record Finding(string Path, int Line, int Column, int EndLine, int EndColumn, Severity Severity, string Code, string Message);

    public static IReadOnlyList<Finding> Flatten(Snapshot snapshot, DiagnosticOptions? options = null)
    {
        var rows = new List<Finding>();
        foreach (var (path, diagnostics) in DiagnosticCollector.ForWorkspace(snapshot, options))
        {
            var lines = snapshot.LinesOf(path);
            var relative = snapshot.RelativePath(path);
            foreach (var d in diagnostics)
            {
                var range = lines?.GetRange(d.Span) ?? default;
                rows.Add(new Finding(relative, range.Start.Line + 1, range.Start.Character + 1, range.End.Line + 1, range.End.Character + 1,
                    d.Severity, d.Code, d.Message));
            }
        }
        return rows.OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Line).ThenBy(r => r.Column).ToList();
    }

    private static void WriteText(Snapshot snapshot, IReadOnlyList<Finding> findings, TextWriter stdout)
    {
        foreach (var f in findings)
            stdout.WriteLine($"{f.Path}:{f.Line}:{f.Column}: {Name(f.Severity)}: {f.Message} [{f.Code}]");
        int errors = findings.Count(f => f.Severity == Severity.Error);
        int warnings = findings.Count(f => f.Severity == Severity.Warning);
        int unused = findings.Count(f => f.Code == DiagnosticCodes.UnusedEntry);
        stdout.WriteLine(
            $"{Plural(errors, "error")}, {Plural(warnings, "warning")}{(unused > 0 ? $", {Plural(unused, "unused entry", "unused entries")}" : "")} in {Plural(snapshot.Notes.Notes.Count, "note")} " +
            $"and {Plural(snapshot.Libraries.Files.Count, "library file")} ({Plural(snapshot.Libraries.Papers.Count, "paper")})");
    }

    private static void WriteJson(IReadOnlyList<Finding> findings, TextWriter stdout)
    {
        var rows = findings.Select(f => new JsonFinding(f.Path, f.Line, f.Column, f.EndLine, f.EndColumn, Name(f.Severity), f.Code, f.Message)).ToList();
        var options = new JsonSerializerOptions(CheckJsonContext.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        stdout.WriteLine(JsonSerializer.Serialize(rows, (JsonTypeInfo<List<JsonFinding>>)options.GetTypeInfo(typeof(List<JsonFinding>))));
    }

    public static string Name(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Information => "info",
        _ => "hint",
    };

    private static string Plural(int n, string word, string? plural = null) => n == 1 ? $"1 {word}" : $"{n} {plural ?? word + "s"}";
}

/// <summary>One finding of <c>check --format json</c>.</summary>
internal sealed record JsonFinding(
    [property: JsonPropertyName("path")] string Path, [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column, [property: JsonPropertyName("endLine")] int EndLine,
    [property: JsonPropertyName("endColumn")] int EndColumn, [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<JsonFinding>))]
internal sealed partial class CheckJsonContext : JsonSerializerContext;
