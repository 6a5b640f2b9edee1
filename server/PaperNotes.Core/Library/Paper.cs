using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library;

/// <summary>A person as CSL models one: family + given (+ particle such as "van", "von", and suffix such as
/// "Jr."), or a literal (corporate) name kept whole.</summary>
public sealed record PersonName(string? Family, string? Given, string? Literal = null, string? Particle = null, string? Suffix = null)
{
    /// <summary>"Given particle Family, Suffix", or the literal name.</summary>
    public string Display
    {
        get
        {
            if (Literal is not null) return Literal;
            var family = string.IsNullOrEmpty(Particle) ? Family ?? "" : $"{Particle} {Family}";
            var name = string.IsNullOrEmpty(Given) ? family : string.IsNullOrEmpty(family) ? Given : $"{Given} {family}";
            return string.IsNullOrEmpty(Suffix) ? name : $"{name}, {Suffix}";
        }
    }

    /// <summary>The name to sort and search by: the family name, else the literal.</summary>
    public string Sort => Family ?? Literal ?? Given ?? "";
}

/// <summary>An issued date: any of year, month, day, or only a literal the source gave.</summary>
public sealed record PaperDate(int? Year, int? Month = null, int? Day = null, string? Literal = null)
{
    private static readonly string[] MonthNames =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>"Feb 12, 2021", "Feb 2021", "2021", or the literal.</summary>
    public string Display
    {
        get
        {
            if (Year is null) return Literal ?? "";
            if (Month is >= 1 and <= 12)
                return Day is int d ? $"{MonthNames[Month.Value - 1]} {d}, {Year}" : $"{MonthNames[Month.Value - 1]} {Year}";
            return Year.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>
/// One library entry = one paper, decoded for display (LaTeX already turned into Unicode).
/// Spans are offsets into the library file's text; <see cref="SourcePath"/> names that file.
/// </summary>
public sealed record Paper
{
    public required string Key { get; init; }
    /// <summary>Entry type as written, lower-cased (BibTeX "article", CSL "article-journal").</summary>
    public string Type { get; init; } = "";
    public string? Title { get; init; }
    public IReadOnlyList<PersonName> Authors { get; init; } = [];
    public IReadOnlyList<PersonName> Editors { get; init; } = [];
    public PaperDate? Issued { get; init; }
    /// <summary>Venue: journal, booktitle, container-title.</summary>
    public string? ContainerTitle { get; init; }
    public string? Publisher { get; init; }
    // Abstracts are most of a library's memory (arXiv's average 1,100 characters: 60% of a decoded library). A big
    // BibTeX file's papers keep none: the abstract is read again from the file's (compressed) text when asked for
    // (hover, export, building the search index), see AbstractSource. Others keep it as UTF-8, about half a string.
    private readonly byte[]? _abstract;

    public string? Abstract
    {
        get => _abstract is not null ? System.Text.Encoding.UTF8.GetString(_abstract) : AbstractSource?.Read();
        init => _abstract = value is null ? null : System.Text.Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The abstract's UTF-8 bytes (empty when there is none), to read without making a string.</summary>
    internal ReadOnlySpan<byte> AbstractUtf8 =>
        _abstract ?? (AbstractSource?.Read() is { } text ? System.Text.Encoding.UTF8.GetBytes(text) : default);

    /// <summary>Where the abstract is read from when the paper does not keep it.</summary>
    internal BibTeX.EntryAbstract? AbstractSource { get; init; }
    public string? Doi { get; init; }
    public string? Url { get; init; }
    /// <summary>arXiv identifier (BibTeX eprint with eprinttype/archiveprefix arxiv).</summary>
    public string? Arxiv { get; init; }
    /// <summary>A code repository link (CSL custom.code from imports).</summary>
    public string? Code { get; init; }
    /// <summary>Publishing organisation (CSL custom.organization from imports).</summary>
    public string? Organization { get; init; }
    /// <summary>Every other field, decoded, by lower-case name. Kept so nothing the user wrote is lost.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = EmptyFields;

    /// <summary>The library file (or note, for front-matter references) that defines the paper.</summary>
    public string SourcePath { get; init; } = "";
    /// <summary>The key as written in the source (BibTeX key, CSL id value without quotes).</summary>
    public TextSpan KeySpan { get; init; }
    /// <summary>The whole entry in the source.</summary>
    public TextSpan EntrySpan { get; init; }

    public static readonly IReadOnlyDictionary<string, string> EmptyFields = new Dictionary<string, string>();
}

/// <summary>A problem in a library file at an exact place: the parser recovered and went on.</summary>
public sealed record LibraryError(TextSpan Span, string Message);

/// <summary>The result of parsing one library file: papers in source order plus errors. Never null, never throws.</summary>
/// <remarks>A big BibTeX file's <see cref="Papers"/> decode on first access by index (each at most once, thread-safe,
/// then kept); enumerating them is a pass that keeps none it decodes. <see cref="KeyAt"/>, <see cref="KeySpanAt"/> and
/// <see cref="EntrySpanAt"/> never decode. Reading <see cref="Errors"/> decodes every entry whose errors are not known
/// (decoding reports errors too), keeping none.</remarks>
public sealed record LibraryFile(string Path, IReadOnlyList<Paper> Papers, IReadOnlyList<LibraryError> Errors, LineIndex Lines)
{
    /// <summary>The text the file was parsed from and how it was read; null when it could not be read (or is binary).
    /// The CSL view re-reads entries from it (<see cref="Csl.LibraryCslItems"/>), so a request reads the library its
    /// snapshot holds, never the disk.</summary>
    public LibrarySource? Source { get; init; }

    /// <summary>A hash of the bytes the file was read from (XxHash3), when it was read from disk: with the other files'
    /// it identifies a library set's content, which a search index image is keyed by. Null for an editor's text.</summary>
    public ulong? ContentHash { get; init; }

    /// <summary>The key of paper <paramref name="index"/>, without decoding it.</summary>
    public string KeyAt(int index) => Papers is BibTeX.IKeyedPapers k ? k.KeyAt(index) : Papers[index].Key;

    /// <summary>The key span of paper <paramref name="index"/>, without decoding it.</summary>
    public TextSpan KeySpanAt(int index) => Papers is BibTeX.IKeyedPapers k ? k.KeySpanAt(index) : Papers[index].KeySpan;

    /// <summary>The entry span of paper <paramref name="index"/>, without decoding it.</summary>
    public TextSpan EntrySpanAt(int index) => Papers is BibTeX.IKeyedPapers k ? k.EntrySpanAt(index) : Papers[index].EntrySpan;

    /// <summary>The index in <paramref name="replaced"/> (the version of this file it replaced) of the entry that entry
    /// <paramref name="index"/> is unchanged from, or -1 (changed, new, or not known: only lazily decoded BibTeX files
    /// keep track). The same papers object: the same index. Decodes nothing.</summary>
    public int UnchangedFrom(LibraryFile replaced, int index) =>
        ReferenceEquals(Papers, replaced.Papers) ? index
        : Papers is BibTeX.LazyBibPapers lazy && replaced.Papers is BibTeX.LazyBibPapers old ? lazy.ReusedFrom(old, index) : -1;

    public static LibraryKind? KindOf(string path)
    {
        var p = path.ToLowerInvariant();
        if (p.EndsWith(".bib") || p.EndsWith(".bibtex")) return LibraryKind.BibTeX;
        if (p.EndsWith(".csl.json") ) return LibraryKind.CslJson;
        if (p.EndsWith(".csl.yaml") || p.EndsWith(".csl.yml")) return LibraryKind.CslYaml;
        return null;
    }
}

public enum LibraryKind { BibTeX, CslJson, CslYaml }

/// <summary>What a <see cref="LibraryFile"/> was parsed from: its text (kept by the file anyway when its BibTeX papers
/// decode lazily) and the kind it was read as (a front-matter bibliography may be a plain .json read as CSL-JSON).</summary>
public sealed record LibrarySource(SourceText Text, LibraryKind Kind);
