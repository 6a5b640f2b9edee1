using System.Text;
using PaperNotes.Core.Library;

namespace PaperNotes.Core.Features;

/// <summary>Renders a paper as Markdown for hovers and completion documentation: one format everywhere.</summary>
public static class PaperMarkdown
{
    private const int MaxAuthors = 3;
    private const int MaxAbstract = 1500;

    /// <summary>"A. Vaswani, N. Shazeer, N. Parmar et al."; "7 authors" when a listing gave only the count.</summary>
    public static string Authors(Paper paper, int max = MaxAuthors)
    {
        var names = paper.Authors.Count > 0 ? paper.Authors : paper.Editors;
        if (names.Count == 0)
            return paper.Fields.TryGetValue("custom.authors-count", out var count) ? (count == "1" ? "1 author" : $"{count} authors") : "";
        var shown = string.Join(", ", names.Take(max).Select(n => n.Display));
        return names.Count > max ? shown + " et al." : shown;
    }

    /// <summary>"Vaswani et al. · 2017": the short line for completion details.</summary>
    public static string Short(Paper paper)
    {
        var names = paper.Authors.Count > 0 ? paper.Authors : paper.Editors;
        var who = names.Count switch
        {
            0 => paper.Organization ?? Authors(paper),
            1 => names[0].Sort,
            2 => $"{names[0].Sort} & {names[1].Sort}",
            _ => $"{names[0].Sort} et al.",
        };
        var year = paper.Issued?.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? paper.Issued?.Literal;
        return string.Join(" · ", new[] { who, year }.Where(s => !string.IsNullOrEmpty(s)));
    }

    /// <summary>"Tian et al. 2021", the short who-and-when of an inlay hint, from the paper's <see cref="Short"/>.</summary>
    public static string AuthorYear(string @short) => @short.Replace(" · ", " ");

    public static string Links(Paper paper)
    {
        var links = new List<string>();
        if (paper.Doi is { } doi) links.Add($"[DOI {Escape(doi)}](https://doi.org/{Uri.EscapeDataString(doi).Replace("%2F", "/")})");
        if (paper.Arxiv is { } arxiv)
        {
            links.Add($"[arXiv {Escape(arxiv)}](https://arxiv.org/abs/{arxiv})");
            links.Add($"[PDF](https://arxiv.org/pdf/{arxiv})");
        }
        if (paper.Url is { } url && IsWebUrl(url)) links.Add($"[URL]({url})");
        if (paper.Code is { } code && IsWebUrl(code)) links.Add($"[Code]({code})");
        return string.Join(" · ", links);
    }

    /// <summary>Title, authors, date, venue, links, abstract: the body of a citation hover.</summary>
    public static string Full(Paper paper)
    {
        var sb = new StringBuilder();
        sb.Append("**").Append(Escape(paper.Title ?? paper.Key)).Append("**\n\n");
        var byline = new List<string>();
        if (Authors(paper) is { Length: > 0 } authors) byline.Add(Escape(authors));
        if (paper.Issued is { } date && date.Display.Length > 0) byline.Add(date.Display);
        var venue = paper.ContainerTitle ?? paper.Organization ?? paper.Publisher;
        if (venue is not null) byline.Add("*" + Escape(venue) + "*");
        if (paper.Fields.TryGetValue("custom.upvotes", out var upvotes)) byline.Add($"▲ {upvotes}");
        if (byline.Count > 0) sb.Append(string.Join(" · ", byline)).Append("\n\n");
        if (Links(paper) is { Length: > 0 } links) sb.Append(links).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(paper.Abstract)) sb.Append(Abstract(paper.Abstract)).Append("\n\n");
        return sb.ToString().TrimEnd() + "\n";
    }

    /// <summary>The abstract as a quote, its simple LaTeX as Markdown, cut at a word with "…" only when very long.</summary>
    public static string Abstract(string text)
    {
        text = text.Trim();
        if (text.Length > MaxAbstract)
        {
            int cut = text.LastIndexOf(' ', MaxAbstract);
            text = text[..(cut > MaxAbstract / 2 ? cut : MaxAbstract)].TrimEnd(' ', ',', ';', '.') + " …";
        }
        return "> " + LatexMarkdown.Render(text).Replace("\n", "\n> ");
    }

    private static bool IsWebUrl(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    public static string FileUri(string path) => new Uri("file://" + (path.StartsWith('/') ? "" : "/") + path).AbsoluteUri;

    public static string ZoteroUri(string key) => "zotero://select/items/@" + Uri.EscapeDataString(key);

    /// <summary>Escapes Markdown so titles like "*-Net" or "<b>" show as written (hovers render Markdown).</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#' or '|') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
