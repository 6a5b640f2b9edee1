using PaperNotes.Core.Text;

namespace PaperNotes.Core.Diagnostics;

public enum Severity { Error = 1, Warning = 2, Information = 3, Hint = 4 }

public sealed record RelatedLocation(string Path, TextSpan Span, string Message);

/// <summary>
/// A finding in a file. <see cref="Suggestions"/> carries machine-readable data (e.g. "did you mean" keys)
/// for quick fixes; the message already says it in words.
/// </summary>
public sealed record Diagnostic(
    string Path,
    TextSpan Span,
    Severity Severity,
    string Code,
    string Message,
    IReadOnlyList<RelatedLocation> Related,
    IReadOnlyList<string> Suggestions)
{
    /// <summary>Unused or unnecessary code: editors fade it (LSP's DiagnosticTag.Unnecessary).</summary>
    public bool Unnecessary { get; init; }
}

/// <summary>What the checks are asked to report beyond errors and warnings.</summary>
public sealed record DiagnosticOptions(int UnusedEntriesUpTo)
{
    /// <summary>As the editor does by default: unused entries in library files of up to 1,000 entries.</summary>
    public static readonly DiagnosticOptions Default = new(1000);

    /// <summary>No unused-entry hints (the CLI's default: they are not problems).</summary>
    public static readonly DiagnosticOptions ProblemsOnly = new(0);
}

/// <summary>Stable diagnostic codes (users filter on them; never rename).</summary>
public static class DiagnosticCodes
{
    public const string UnknownCitation = "unknown-citation";
    public const string BrokenLink = "broken-link";
    public const string LibrarySyntax = "library-syntax";
    public const string DuplicateKey = "duplicate-key";
    public const string MissingBibliography = "missing-bibliography";
    public const string FrontMatter = "front-matter";
    public const string NoteSyntax = "note-syntax";
    public const string UnusedEntry = "unused-entry";
}
