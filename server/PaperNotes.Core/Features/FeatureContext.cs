using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Features;

/// <summary>What features may offer beyond the snapshot, and the one question about the disk they may ask.</summary>
public sealed record FeatureOptions
{
    public static readonly FeatureOptions Default = new();

    /// <summary>"Open in Zotero" links (<c>zotero://select/items/@KEY</c>).</summary>
    public bool ZoteroLinks { get; init; }

    /// <summary>Whether a file exists: attachments are linked only when they do. Core does no IO; the server answers.</summary>
    public Func<string, bool> FileExists { get; init; } = _ => false;

    /// <summary>What inlay hints show.</summary>
    public InlayHintOptions InlayHints { get; init; } = InlayHintOptions.Default;
}

/// <summary>What every feature gets: the snapshot, the document the request is about and, when known, its text.</summary>
public sealed record FeatureContext(Snapshot Snapshot, string Path, string? Text = null)
{
    public FeatureOptions Options { get; init; } = FeatureOptions.Default;

    /// <summary>The paper's attached files that exist, PDFs first.</summary>
    public IReadOnlyList<Attachment> ExistingAttachments(Paper paper) =>
        Attachments.Of(paper).Where(a => Options.FileExists(a.Path)).OrderBy(a => a.IsPdf ? 0 : 1).ToList();

    public Note? Note => Snapshot.Notes.Find(Path);

    public LibraryFile? Library => Snapshot.Libraries.Files.GetValueOrDefault(Path);

    public LineIndex? Lines => Snapshot.LinesOf(Path);
}

/// <summary>A place in a file: the POD result of navigation features.</summary>
public sealed record FileLocation(string Path, TextSpan Span);

/// <summary>A text replacement in a file.</summary>
public sealed record FileEdit(string Path, TextSpan Span, string NewText);

/// <summary>What the cursor is on, as the navigation features see it.</summary>
public abstract record Target
{
    /// <summary>A citation key: written in a note, or the key of a library entry.</summary>
    public sealed record Key(string Value, TextSpan Span) : Target;
    public sealed record Link(WikiLink WikiLink, Note From) : Target;

    /// <summary>Finds the key or link at the offset in a note or library file; null on anything else.</summary>
    public static Target? At(FeatureContext context, int offset)
    {
        if (context.Note is { } note)
        {
            if (note.CitationAt(offset) is { } citation) return new Key(citation.Key, citation.KeySpan);
            if (note.WikiLinkAt(offset) is { } link) return new Link(link, note);
            if (note.FrontMatter.CiteKey is { } citeKey && note.FrontMatter.CiteKeySpan.Touches(offset))
                return new Key(citeKey, note.FrontMatter.CiteKeySpan);
            foreach (var reference in note.FrontMatter.References)
                if (reference.KeySpan.Touches(offset)) return new Key(reference.Key, reference.KeySpan);
            return null;
        }
        if (context.Library is { } library && PaperAt(library, offset) is { } paper && paper.KeySpan.Touches(offset))
            return new Key(paper.Key, paper.KeySpan);
        return null;
    }

    /// <summary>The entry whose source span holds the offset (entries are in source order).</summary>
    public static Paper? PaperAt(LibraryFile library, int offset)
    {
        var papers = library.Papers;
        int lo = 0, hi = papers.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var span = library.EntrySpanAt(mid); // no decoding while searching
            if (span.End < offset) lo = mid + 1;
            else if (span.Start > offset) hi = mid - 1;
            else return papers[mid];
        }
        return null;
    }
}
