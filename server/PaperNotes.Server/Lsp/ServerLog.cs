namespace PaperNotes.Server.Lsp;

/// <summary>
/// The server's log. While the client is connected it goes to <c>window/logMessage</c> only, with its level:
/// some clients (Neovim) record every stderr chunk as an error. Before and after the connection, stderr.
/// Never stdout (the protocol).
/// </summary>
public sealed class ServerLog
{
    private volatile Func<int, string, Task>? _toClient;

    /// <summary>From now on, log lines go to the client (type 1 error … 4 log, as LSP numbers them).</summary>
    public void Connect(Func<int, string, Task> toClient) => _toClient = toClient;

    /// <summary>The connection is gone: log lines go to stderr again.</summary>
    public void Disconnect() => _toClient = null;

    public void Error(string message) => Write(1, message);
    public void Warn(string message) => Write(2, message);
    public void Info(string message) => Write(3, message);

    private void Write(int type, string message)
    {
        if (_toClient is { } send) _ = send(type, message).ContinueWith(_ => { }, TaskScheduler.Default);
        else Console.Error.WriteLine($"[papernotes] {message}");
    }
}
