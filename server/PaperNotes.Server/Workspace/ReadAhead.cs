using System.Collections.Concurrent;
using System.IO.Hashing;

namespace PaperNotes.Server.Workspace;

/// <summary>
/// Reads a file a few pieces ahead of whoever consumes it, on a thread of its own, and hashes it there: the scan of a
/// big library then never waits for a read, nor spends its core on the content hash (at 1M papers, 1.5 GB of each).
/// </summary>
internal static class ReadAhead
{
    private const int PieceBytes = 1 << 20;
    private const int Ahead = 3;

    /// <summary>Hands <paramref name="consume"/> <paramref name="head"/>'s first <paramref name="headCount"/> bytes, then
    /// what follows in <paramref name="stream"/>, in order, up to <paramref name="length"/> bytes in all (a file growing
    /// meanwhile is read again on its change). Returns the XxHash3 of the bytes handed over and how many there were. A
    /// read that fails throws here, as does <paramref name="consume"/>, which stops the reading.</summary>
    public static (ulong Hash, long Total) Read(Stream stream, byte[] head, int headCount, long length, Action<byte[], int> consume)
    {
        var hash = new XxHash3();
        using var filled = new BlockingCollection<(byte[] Bytes, int Count)>(Ahead);
        var free = new ConcurrentQueue<byte[]>();
        using var stop = new CancellationTokenSource();
        long total = headCount;
        // A thread of its own, not the pool's: it blocks while the consumer is behind, and the pool's threads are the
        // compression's.
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                hash.Append(head.AsSpan(0, headCount));
                while (total < length)
                {
                    if (!free.TryDequeue(out var bytes)) bytes = new byte[PieceBytes];
                    int read = stream.Read(bytes.AsSpan(0, (int)Math.Min(bytes.Length, length - total)));
                    if (read == 0) break;
                    total += read;
                    hash.Append(bytes.AsSpan(0, read));
                    filled.Add((bytes, read), stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { } // the consumer stopped
            finally { filled.CompleteAdding(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            consume(head, headCount);
            foreach (var (bytes, count) in filled.GetConsumingEnumerable())
            {
                consume(bytes, count);
                free.Enqueue(bytes);
            }
        }
        catch
        {
            stop.Cancel();
            Task.WaitAny(reader); // its own failure, if any, is not the one to tell
            throw;
        }
        reader.GetAwaiter().GetResult(); // a read that failed
        return (hash.GetCurrentHashAsUInt64(), total);
    }
}
