namespace PaperNotes.Core.Workspace;

/// <summary>Pure path arithmetic on '/'-separated absolute paths (Core does no IO).</summary>
public static class PathUtil
{
    public static string Normalize(string path)
    {
        path = path.Replace('\\', '/');
        var parts = new List<string>();
        bool rooted = path.StartsWith('/');
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined;
    }

    public static string Directory(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash > 0 ? path[..slash] : slash == 0 ? "/" : "";
    }

    /// <summary>Resolves <paramref name="relative"/> against the folder of <paramref name="fromFile"/>.</summary>
    public static string Resolve(string fromFile, string relative) =>
        relative.StartsWith('/') ? Normalize(relative) : Normalize(Directory(fromFile) + "/" + relative);

    public static string Combine(string root, string relative) => Normalize(root.TrimEnd('/') + "/" + relative);

    public static string Relative(string root, string path)
    {
        var prefix = root.TrimEnd('/') + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies below it.</summary>
    public static bool IsUnder(string root, string path)
    {
        var prefix = root.TrimEnd('/') + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) || path == root.TrimEnd('/');
    }
}
