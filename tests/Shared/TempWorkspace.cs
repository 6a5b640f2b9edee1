namespace PaperNotes.Tests;

/// <summary>A throwaway workspace folder with files, deleted afterwards.</summary>
public sealed class TempWorkspace : IDisposable
{
    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "papernotes-test-" + Guid.NewGuid().ToString("N")[..8]);

    public TempWorkspace(params (string Path, string Text)[] files)
    {
        Directory.CreateDirectory(Root);
        foreach (var (path, text) in files) Write(path, text);
    }

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public string Write(string relative, string text)
    {
        var full = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
