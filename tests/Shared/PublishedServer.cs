using System.Diagnostics;

namespace PaperNotes.Tests;

/// <summary>
/// The program under test. By default the tests call the server's code in process. With
/// <c>PAPERNOTES_TEST_SERVER</c> naming a published <c>papernotes</c> executable (or a <c>papernotes.dll</c>, run with
/// <c>dotnet</c>), the LSP and command-line tests run that program as a process instead, so the same tests check
/// what ships (<c>scripts/test.sh</c> runs them both ways).
/// </summary>
public static class PublishedServer
{
    public static string? Program =>
        Environment.GetEnvironmentVariable("PAPERNOTES_TEST_SERVER") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>How to start <paramref name="program"/> (a .dll runs with dotnet) with these arguments, all streams redirected.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args)
    {
        bool dll = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(dll ? "dotnet" : program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (dll) start.ArgumentList.Add(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Runs the published program to its end: exit code, standard output and standard error.</summary>
    public static (int Exit, string Out, string Err) Run(string program, params string[] args)
    {
        using var process = Process.Start(StartInfo(program, args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran for over 2 minutes");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
