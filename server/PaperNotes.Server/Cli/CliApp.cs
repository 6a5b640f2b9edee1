using PaperNotes.Core.Diagnostics;
using System.CommandLine;

namespace PaperNotes.Server.Cli;

/// <summary>The <c>papernotes</c> command line: check, import, export, serve. Usage errors exit 2 with one clear line.</summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("PaperNotes: citations and paper libraries for Markdown research notes.");

        var dirArgument = new Argument<string>("DIR") { Description = "Workspace folder (default: the current directory).", DefaultValueFactory = _ => "." };
        var formatOption = new Option<OutputFormat>("--format") { Description = "Output format: text or json.", DefaultValueFactory = _ => OutputFormat.Text };
        var unusedOption = new Option<bool>("--unused") { Description = "Also list library entries no note cites (unused-entry hints), in library files of any size." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the library cache (images of big BibTeX libraries that make the next start fast)." };
        var check = new Command("check", "Check every note and library file under DIR.") { dirArgument, formatOption, unusedOption, noCache };
        check.SetAction(parse => CheckCommand.Run(parse.GetValue(dirArgument)!, parse.GetValue(formatOption), stdout, stderr,
            parse.GetValue(unusedOption) ? new DiagnosticOptions(int.MaxValue) : DiagnosticOptions.ProblemsOnly,
            parse.GetValue(noCache) ? null : CliCache()));
        root.Add(check);

        foreach (var command in ExtraCommands(stdout, stderr)) root.Add(command);
        root.Add(Export(stdout, stderr));

        var stdio = new Option<bool>("--stdio") { Description = "Talk LSP over stdin/stdout (the only transport; accepted for vscode-languageclient)." };
        var serveNoCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the library cache (images of big BibTeX libraries that make the next start fast)." };
        var serve = new Command("serve", "Run the language server (LSP over stdin/stdout).") { stdio, serveNoCache };
        serve.SetAction(parse => ServeCommand.Run(useCache: !parse.GetValue(serveNoCache)));
        root.Add(serve);
        // vscode-languageclient may start the server as "papernotes --stdio".
        if (args.Length == 1 && args[0] == "--stdio") return ServeCommand.Run();

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // one line: System.CommandLine lists the allowed values on lines of their own
            var message = string.Join(' ', parseResult.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
            stderr.WriteLine($"papernotes: {message} (see 'papernotes --help')");
            return CheckCommand.ExitUsage;
        }
        return parseResult.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>The command line writes an image before it goes on (the process may end right after), and says nothing
    /// about the cache: its output is the workspace's findings.</summary>
    private static Workspace.LibraryCache? CliCache() =>
        Workspace.LibraryCache.DefaultDirectory() is { } directory ? new Workspace.LibraryCache(directory) : null;

    private static Command Export(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "A workspace folder, notes or library files (default: the current directory).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format: csl-json (as pandoc -t csljson), csl-yaml or bibtex (BibLaTeX).",
            Required = true,
        };
        format.AcceptOnlyFromAmong("csl-json", "csl-yaml", "bibtex");
        var cited = new Option<bool>("--cited") { Description = "Only the entries the notes given (or all notes) cite: the library one paper needs." };
        var output = new Option<string?>("--output", "-o") { Description = "Write here, atomically (default: standard output)." };
        var export = new Command("export", "Write the items of the workspace's libraries as CSL-JSON, CSL-YAML or BibLaTeX.") { paths, format, cited, output };
        export.SetAction(parse => ExportCommand.Run(new ExportOptions(
            parse.GetValue(paths) ?? [],
            parse.GetValue(format) switch { "csl-yaml" => ExportFormat.CslYaml, "bibtex" => ExportFormat.BibTeX, _ => ExportFormat.CslJson },
            parse.GetValue(cited), parse.GetValue(output)), stdout, stderr));
        return export;
    }

    private static IEnumerable<Command> ExtraCommands(TextWriter stdout, TextWriter stderr)
    {
        var fileArgument = new Argument<string>("FILE") { Description = "The text of a Daily Papers page." };
        var yearOption = new Option<int?>("--year") { Description = "Year for dates that carry none (default: the current year)." };
        var outputOption = new Option<string?>("--output", "-o") { Description = "Write the CSL-YAML library here (default: standard output)." };
        var dailyPapers = new Command("daily-papers", "Import a Hugging Face Daily Papers listing as a CSL-YAML library.")
        {
            fileArgument, yearOption, outputOption,
        };
        dailyPapers.SetAction(parse => ImportCommand.Run(parse.GetValue(fileArgument)!, parse.GetValue(yearOption), parse.GetValue(outputOption), stdout, stderr));
        yield return new Command("import", "Import papers into a library file.") { dailyPapers };
    }
}
