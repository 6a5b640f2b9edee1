using PaperNotes.Server.Cli;

namespace PaperNotes.Server;

public static class Program
{
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}
