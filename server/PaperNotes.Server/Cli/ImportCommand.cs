using PaperNotes.Core.Library.Csl;
using PaperNotes.Core.Library.Import;
using PaperNotes.Server.IO;

namespace PaperNotes.Server.Cli;

/// <summary><c>papernotes import daily-papers FILE [--year YYYY] [-o OUT]</c>: a Hugging Face Daily Papers
/// page (as text) to CSL-YAML. Exit 0 on success, 1 on any failure with one line on stderr.</summary>
public static class ImportCommand
{
    public static int Run(string inputPath, int? year, string? outputPath, TextWriter stdout, TextWriter stderr)
    {
        string text;
        try
        {
            text = File.ReadAllText(inputPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"papernotes: cannot read {inputPath}: {ex.Message}");
            return 1;
        }

        // Dates on the page omit the year for the current year; --year says which year that was.
        int defaultYear = year ?? DateTime.Now.Year;
        var result = DailyPapersImporter.Import(text, defaultYear);
        if (!result.Succeeded)
        {
            stderr.WriteLine($"papernotes: {inputPath}: {result.Error}");
            return 1;
        }

        var yaml = CslYamlWriter.Write(result.Papers,
            $"Imported from {inputPath} with papernotes import daily-papers --year {defaultYear}");
        if (outputPath is null)
        {
            stdout.Write(yaml);
            return 0;
        }
        try
        {
            AtomicFile.WriteAllText(outputPath, yaml);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"papernotes: cannot write {outputPath}: {ex.Message}");
            return 1;
        }
        return 0;
    }
}
