using PaperNotes.Server.Cli;
using PaperNotes.Tests;

namespace PaperNotes.Core.Tests.Cli;

/// <summary>The `papernotes` command line as the tests run it: in process, or the published program when the tests were given one.</summary>
internal static class TestCli
{
    public static bool Published => PublishedServer.Program is not null;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (PublishedServer.Program is not { } program) return CliApp.Run(args, stdout, stderr);
        var (exit, output, error) = PublishedServer.Run(program, args);
        stdout.Write(output);
        stderr.Write(error);
        return exit;
    }
}
