namespace PaperNotes.Server.Lsp;

/// <summary>Logs to stderr and, once connected, to the client's window/logMessage. Never to stdout (the protocol).</summary>
public sealed class ServerLog
{
    public Func<int, string, Task>? ToClient { get; set; }

    public void Error(string message) => Write(1, message);
    public void Warn(string message) => Write(2, message);
    public void Info(string message) => Write(3, message);

    private void Write(int type, string message)
    {
        Console.Error.WriteLine($"[papernotes] {message}");
        if (ToClient is { } send) _ = send(type, message).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
