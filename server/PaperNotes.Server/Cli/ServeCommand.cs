using PaperNotes.Server.Lsp;

namespace PaperNotes.Server.Cli;

/// <summary><c>papernotes serve</c>: the language server on stdin/stdout. Exit 0 after shutdown+exit, 1 otherwise.</summary>
public static class ServeCommand
{
    /// <summary>
    /// For tests of a published server only: how long a request may wait for the first index or its document's
    /// text, in milliseconds (-1: no limit). The in-process tests pass this to <see cref="LanguageServer"/> directly.
    /// </summary>
    public const string ReadyLimitVariable = "PAPERNOTES_TEST_READY_LIMIT_MS";

    /// <summary>For tests of a published server only: how long the server waits for the client to answer a request it
    /// needs before it goes on without (registering watchers, reading settings, creating progress), in milliseconds.</summary>
    public const string ClientAnswerLimitVariable = "PAPERNOTES_TEST_CLIENT_ANSWER_LIMIT_MS";

    /// <param name="useCache">Read and write the library cache (unless the <c>paperNotes.cache.enabled</c> setting turns it off).</param>
    /// <summary>For tests of a published server only: how long a library stays unchanged before its image is written to
    /// the library cache, in milliseconds.</summary>
    public const string CacheWriteDelayVariable = "PAPERNOTES_TEST_CACHE_WRITE_DELAY_MS";

    public static int Run(bool useCache = true)
    {
        var stdin = Console.OpenStandardInput();
        var stdout = Console.OpenStandardOutput();
        // stdout carries the protocol: anything else printed by mistake goes to stderr instead.
        Console.SetOut(Console.Error);
        // Indexing keeps every core busy with parallel parsing; requests must still get a thread at once
        // instead of waiting for the pool to grow (it adds about one thread per half second).
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        var server = new LanguageServer(stdin, stdout, Milliseconds(ReadyLimitVariable), Milliseconds(ClientAnswerLimitVariable),
            cacheDirectory: useCache ? Workspace.LibraryCache.DefaultDirectory() : null, cacheWriteDelay: Milliseconds(CacheWriteDelayVariable));
        return server.RunAsync().GetAwaiter().GetResult();
    }

    private static TimeSpan? Milliseconds(string variable) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.CultureInfo.InvariantCulture, out long ms)
            ? (ms < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms))
            : null;
}
