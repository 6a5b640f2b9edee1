using System.Collections.Concurrent;
using System.Text;
using PaperNotes.Core.Text;
using PaperNotes.Server.Convert;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Lsp;

/// <summary>A document the editor has open: its text is the truth, whatever the disk says.
/// <see cref="Sequence"/> orders every change the server has seen (editors' versions restart on reopen).</summary>
public sealed record OpenDocument(string Uri, string Path, string LanguageId, string Text, int Version, long Sequence = 0);

/// <summary>The editor's open documents, by path.</summary>
public sealed class DocumentStore
{
    private readonly ConcurrentDictionary<string, OpenDocument> _documents = new(StringComparer.Ordinal);
    private long _sequence;

    public OpenDocument? Get(string path) => _documents.GetValueOrDefault(path);

    public bool IsOpen(string path) => _documents.ContainsKey(path);

    public IReadOnlyCollection<OpenDocument> All => _documents.Values.ToList();

    public void Open(OpenDocument document) =>
        _documents[document.Path] = document with { Sequence = Interlocked.Increment(ref _sequence) };

    public void Close(string path) => _documents.TryRemove(path, out _);

    /// <summary>Applies incremental (or full) changes in order; null when the document is not open.</summary>
    public OpenDocument? Change(string path, int? version, IReadOnlyList<P.TextDocumentContentChangeEvent> changes)
    {
        if (!_documents.TryGetValue(path, out var document)) return null;
        var text = document.Text;
        foreach (var change in changes)
            text = Apply(text, change);
        var updated = document with { Text = text, Version = version ?? document.Version + 1, Sequence = Interlocked.Increment(ref _sequence) };
        _documents[path] = updated;
        return updated;
    }

    internal static string Apply(string text, P.TextDocumentContentChangeEvent change)
    {
        if (change.Range is null) return change.Text;
        var lines = LineIndex.Create(text);
        int start = FromLsp.Offset(lines, change.Range.Start) ?? text.Length;
        int end = FromLsp.Offset(lines, change.Range.End) ?? text.Length;
        if (end < start) (start, end) = (end, start);
        return new StringBuilder(text.Length - (end - start) + change.Text.Length)
            .Append(text, 0, start).Append(change.Text).Append(text, end, text.Length - end).ToString();
    }
}
