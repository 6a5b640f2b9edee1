using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Tests;

/// <summary>A big BibTeX file streams in from disk (never read whole into a string); what it gives is what reading it
/// whole gives. Files the stream cannot read (UTF-16, binary) are read whole as before.</summary>
public class DiskLoaderTests
{
    internal const string Library = "@string{j = \"Journal\"}\r\n% comment\r\n@article{a, title = {Ça \\'{e}tude}, journal = j,\r\n"
        + "  abstract = {Long \\emph{abstract} with \"quotes\" and 😀},\r\n  author = {Müller, Jörg and 李, 四}}\r\n"
        + "@book{b, title = {Broken, author = {X}}\n@misc{c, note = {after the break}}\n";

    internal static string Describe(LibraryFile file)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < file.Papers.Count; i++)
        {
            var p = file.Papers[i];
            sb.Append($"{p.Key}|{p.Title}|{p.ContainerTitle}|{p.Abstract}|{string.Join(";", p.Authors.Select(a => a.Display))}|")
              .Append($"{p.KeySpan}|{p.EntrySpan}|{file.Lines.GetRange(p.EntrySpan)}\n");
        }
        foreach (var e in file.Errors) sb.Append($"{e.Span} {file.Lines.GetRange(e.Span)} {e.Message}\n");
        return sb.ToString();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_streamed_file_is_the_file_read_whole(bool byteOrderMark)
    {
        using var ws = new TempWorkspace();
        var path = ws.Path("refs.bib");
        var bytes = Encoding.UTF8.GetBytes(Library);
        File.WriteAllBytes(path, byteOrderMark ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes);
        var streamed = DiskLoader.StreamBibTeX(path, null, null, out var error);
        Assert.Null(error);
        Assert.NotNull(streamed);
        Assert.Equal(Describe(DiskLoader.LoadLibrary(path, LibraryKind.BibTeX)), Describe(streamed!));
        Assert.Contains("Long abstract with", streamed!.Papers[0].Abstract);
    }

    [Fact]
    public void Files_the_stream_cannot_read_are_read_whole()
    {
        using var ws = new TempWorkspace();
        var utf16 = ws.Path("utf16.bib");
        File.WriteAllText(utf16, Library, Encoding.Unicode); // with its byte order mark
        Assert.Null(DiskLoader.StreamBibTeX(utf16, null, null, out var error));
        Assert.Null(error);
        Assert.Equal("Ça étude", DiskLoader.LoadLibrary(utf16, LibraryKind.BibTeX).Papers[0].Title);

        var binary = ws.Path("binary.bib");
        File.WriteAllBytes(binary, [(byte)'@', 0, 1, 2]);
        Assert.Null(DiskLoader.StreamBibTeX(binary, null, null, out error));
        Assert.Contains(DiskLoader.LoadLibrary(binary, LibraryKind.BibTeX).Errors, e => e.Message.Contains("binary"));
    }
}
