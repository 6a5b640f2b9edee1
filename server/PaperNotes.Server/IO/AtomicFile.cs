namespace PaperNotes.Server.IO;

/// <summary>Writes files so readers (and a crash) see either the old content or the new, never half.</summary>
public static class AtomicFile
{
    /// <summary>Writes UTF-8 (no BOM) to a temp file in the same folder (same volume, so the move is a
    /// rename), then moves it over <paramref name="path"/>. On failure the temp file is removed and the
    /// existing file is untouched; the exception propagates.</summary>
    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { } // best effort: the original error matters more
        catch (UnauthorizedAccessException) { }
    }
}
