using System.Text;
using PaperNotes.Core.Library;

namespace PaperNotes.Core.Tests.Library.Csl;

/// <summary>Locates ../shared/fixtures and renders parse results as stable text.</summary>
internal static class CslTestSupport
{
    /// <summary>A file or folder of the shared test data (see <see cref="Repo.Shared"/>).</summary>
    public static string SharedPath(params string[] parts) => Repo.Shared(Path.Combine(parts));

    /// <summary>`PAPER@start..end key@start..end "key"` then one line per set property; errors as
    /// `ERROR@start..end "message"`. Spans are checked against the text they claim to cover.</summary>
    public static string Dump(LibraryFile file, string text, bool spans = true)
    {
        var sb = new StringBuilder();
        foreach (var p in file.Papers)
        {
            if (spans)
            {
                Assert.Equal(p.Key, text.Substring(p.KeySpan.Start, p.KeySpan.Length));
                sb.Append($"PAPER@{p.EntrySpan} key@{p.KeySpan} \"{p.Key}\"\n");
            }
            else sb.Append($"PAPER \"{p.Key}\"\n");
            DumpPaper(sb, p);
        }
        foreach (var e in file.Errors)
            sb.Append(spans ? $"ERROR@{e.Span} \"{e.Message}\"\n" : $"ERROR \"{e.Message}\"\n");
        return sb.ToString();
    }

    public static void DumpPaper(StringBuilder sb, Paper p)
    {
        void Line(string name, string? value) { if (value is not null) sb.Append($"  {name}: {value}\n"); }
        static string Name(PersonName n) =>
            $"[{n.Family}|{n.Given}|{n.Literal}|{n.Particle}|{n.Suffix}]";
        Line("type", p.Type.Length == 0 ? null : p.Type);
        Line("title", p.Title);
        if (p.Authors.Count > 0) Line("author", string.Join(" ", p.Authors.Select(Name)));
        if (p.Editors.Count > 0) Line("editor", string.Join(" ", p.Editors.Select(Name)));
        if (p.Issued is { } d) Line("issued", $"{d.Year}/{d.Month}/{d.Day}/{d.Literal}");
        Line("container-title", p.ContainerTitle);
        Line("publisher", p.Publisher);
        Line("abstract", p.Abstract);
        Line("doi", p.Doi);
        Line("url", p.Url);
        Line("arxiv", p.Arxiv);
        Line("code", p.Code);
        Line("organization", p.Organization);
        foreach (var (k, v) in p.Fields) Line("." + k, v);
    }

    public static string Normalize(string s) => s.Replace("\r\n", "\n");
}
