using PaperNotes.Server.Lsp;

namespace PaperNotes.Server.Cli;

/// <summary><c>papernotes serve</c>: the language server on stdin/stdout. Exit 0 after shutdown+exit, 1 otherwise.</summary>
public static class ServeCommand
{
    public static int Run()
    {
        var stdin = Console.OpenStandardInput();
        var stdout = Console.OpenStandardOutput();
        // stdout carries the protocol: anything else printed by mistake goes to stderr instead.
        Console.SetOut(Console.Error);
        // Indexing keeps every core busy with parallel parsing; requests must still get a thread at once
        // instead of waiting for the pool to grow (it adds about one thread per half second).
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        var server = new LanguageServer(stdin, stdout);
        return server.RunAsync().GetAwaiter().GetResult();
    }
}
