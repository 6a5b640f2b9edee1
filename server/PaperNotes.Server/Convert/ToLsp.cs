using PaperNotes.Core.Features;
using PaperNotes.Core.Text;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Convert;

/// <summary>Core results → LSP records (texlab's to_proto).</summary>
public static class ToLsp
{
    public static P.Position Position(LinePosition position) => new(position.Line, position.Character);

    public static P.Range Range(LineIndex lines, TextSpan span)
    {
        var range = lines.GetRange(span);
        return new P.Range(Position(range.Start), Position(range.End));
    }

    public static P.Location? Location(PaperNotes.Core.Workspace.Snapshot snapshot, FileLocation location) =>
        snapshot.LinesOf(location.Path) is { } lines
            ? new P.Location(Uris.FromPath(location.Path), Range(lines, location.Span))
            : null;

    public static int Severity(PaperNotes.Core.Diagnostics.Severity severity) => (int)severity;

    public static P.Diagnostic Diagnostic(PaperNotes.Core.Workspace.Snapshot snapshot, LineIndex lines, PaperNotes.Core.Diagnostics.Diagnostic d) => new()
    {
        Range = Range(lines, d.Span),
        Severity = Severity(d.Severity),
        Code = d.Code,
        Message = d.Message,
        RelatedInformation = d.Related.Count == 0 ? null : d.Related
            .Select(r => Location(snapshot, new FileLocation(r.Path, r.Span)) is { } loc ? new P.DiagnosticRelatedInformation(loc, r.Message) : null)
            .OfType<P.DiagnosticRelatedInformation>().ToList(),
        Tags = d.Unnecessary ? [1] : null,
        Data = d.Suggestions.Count == 0 ? null : new P.DiagnosticData(d.Suggestions),
    };

    /// <summary>Edits grouped per file, in a WorkspaceEdit's <c>changes</c> map.</summary>
    public static P.WorkspaceEdit WorkspaceEdit(PaperNotes.Core.Workspace.Snapshot snapshot, IEnumerable<FileEdit> edits)
    {
        var changes = new Dictionary<string, IReadOnlyList<P.TextEdit>>();
        foreach (var group in edits.GroupBy(e => e.Path))
        {
            if (snapshot.LinesOf(group.Key) is not { } lines) continue;
            changes[Uris.FromPath(group.Key)] = group.Select(e => new P.TextEdit(Range(lines, e.Span), e.NewText)).ToList();
        }
        return new P.WorkspaceEdit(changes);
    }
}
