namespace PaperNotes.Server.Convert;

/// <summary>file:// URIs ↔ the '/'-separated absolute paths Core uses.</summary>
public static class Uris
{
    public static string? ToPath(string? uri)
    {
        if (string.IsNullOrEmpty(uri)) return null;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile) return null;
        var path = parsed.LocalPath.Replace('\\', '/');
        return PaperNotes.Core.Workspace.PathUtil.Normalize(path);
    }

    public static string FromPath(string path) => new Uri("file://" + (path.StartsWith('/') ? "" : "/") + path).AbsoluteUri;
}
