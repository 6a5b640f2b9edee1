using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// Parses BibTeX/BibLaTeX into papers, in source order. Never throws; errors carry exact spans and the
/// parser recovers at the next entry. Pipeline: <see cref="BibReader"/> (scan, @string, #) →
/// <see cref="BibInheritance"/> (crossref, xdata) → <see cref="BibEntryMapper"/> (decode, names, dates).
/// <para>A file without crossref/xdata is only scanned here (keys, spans, syntax errors, @string macros):
/// its papers are decoded on first access (<see cref="LazyBibPapers"/>), so the library is usable, keys
/// indexed, long before every entry is decoded. A file with crossref/xdata is decoded at once.</para>
/// </summary>
public static class BibParser
{
    internal static readonly Comparison<LibraryError> ErrorOrder = (a, b) =>
        a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : string.CompareOrdinal(a.Message, b.Message);

    /// <param name="previous">The version of this file being replaced, if any: its decoded papers are reused for the
    /// entries that did not change (a reference manager rewrites the whole file for one changed entry).</param>
    public static LibraryFile Parse(string path, string text, LibraryFile? previous = null)
    {
        text ??= "";
        var reader = new BibReader(text, keysOnly: true).ReusingKeysOf((previous?.Papers as LazyBibPapers)?.KeyIndex(path));
        Exception? failure = null;
        void Scan()
        {
            try { reader.ReadAll(); }
            catch (Exception ex) when (ex is not OutOfMemoryException) { failure = ex; }
        }
        LineIndex? lines = null;
        // The line index needs only the text: on a big file it is built on another core while the scan runs
        // (Parallel.Invoke runs both inline when no other thread is free, so this never waits on the pool).
        if (text.Length >= 1 << 20) Parallel.Invoke(Scan, () => lines = LineIndex.Create(text));
        else { Scan(); lines = LineIndex.Create(text); }

        if (failure is not null)
        {
            // Parsers never fail: a bug here must not take the server down; report it where it happened.
            var errors = reader.Errors;
            errors.Add(new LibraryError(new TextSpan(0, 0), $"internal error while reading the file: {failure.Message}"));
            errors.Sort(ErrorOrder);
            return new LibraryFile(path, [], errors, lines!);
        }
        if (reader.HasInheritance) return ParseEager(path, text, lines);
        return Lazy(path, reader, new StringText(text), lines!, previous);
    }

    /// <summary>The file of a finished keys-only scan, its papers decoded from <paramref name="text"/> when first read.</summary>
    internal static LibraryFile Lazy(string path, BibReader scan, SourceText text, LineIndex lines, LibraryFile? previous)
    {
        var scanErrors = scan.Errors;
        scanErrors.Sort(ErrorOrder);
        var papers = new LazyBibPapers(path, text, scan.Scanned(), scan.Macros, scan.Names, previous?.Papers as LazyBibPapers, scan.PreviousKeys);
        return new LibraryFile(path, papers, new LazyLibraryErrors(scanErrors, papers), lines) { Source = new LibrarySource(text, LibraryKind.BibTeX) };
    }

    /// <summary>The file of a keys-only scan restored from a warm start (<see cref="LibraryImage"/>).</summary>
    internal static LibraryFile Lazy(string path, SourceText text, ScannedEntry[] entries, MacroTable macros, Dictionary<string, string> names,
        List<LibraryError> scanErrors, LineIndex lines, LibraryFile? previous)
    {
        var papers = new LazyBibPapers(path, text, entries, macros, names, previous?.Papers as LazyBibPapers);
        return new LibraryFile(path, papers, new LazyLibraryErrors(scanErrors, papers), lines) { Source = new LibrarySource(text, LibraryKind.BibTeX) };
    }

    /// <summary>Reads and decodes everything now: for entries that inherit fields from each other (and for
    /// tests, to check that lazy decoding gives the same papers).</summary>
    /// <param name="source">The text to keep for the file when it is at hand already (a streamed file's compressed
    /// text); by default <paramref name="text"/> is kept.</param>
    internal static LibraryFile ParseEager(string path, string text, LineIndex? lines = null, SourceText? source = null)
    {
        var reader = new BibReader(text);
        var errors = reader.Errors;
        List<Paper> papers;
        try
        {
            reader.ReadAll();
            BibInheritance.Resolve(reader.Entries);
            papers = MapAll(reader.Entries, path, errors);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Parsers never fail: a bug here must not take the server down; report it where it happened.
            papers = [];
            errors.Add(new LibraryError(new TextSpan(0, 0), $"internal error while reading the file: {ex.Message}"));
        }
        errors.Sort(ErrorOrder);
        return new LibraryFile(path, papers, errors, lines ?? LineIndex.Create(text))
        {
            Source = new LibrarySource(source ?? SourceText.Keep(text), LibraryKind.BibTeX),
        };
    }

    /// <summary>Decoding is most of the work and each entry is independent: big files map on all cores.</summary>
    private static List<Paper> MapAll(List<RawEntry> entries, string path, List<LibraryError> errors)
    {
        var papers = new Paper[entries.Count];
        var pools = new BibEntryMapper.Pools();
        if (entries.Count < 4096 || Environment.ProcessorCount < 2)
        {
            for (int i = 0; i < papers.Length; i++) papers[i] = BibEntryMapper.Map(entries[i], path, errors, pools);
            return [.. papers];
        }
        var shared = new System.Collections.Concurrent.ConcurrentBag<LibraryError>();
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, entries.Count, 2048), range =>
        {
            var local = new List<LibraryError>();
            for (int i = range.Item1; i < range.Item2; i++) papers[i] = BibEntryMapper.Map(entries[i], path, local, pools);
            foreach (var e in local) shared.Add(e);
        });
        errors.AddRange(shared);
        return [.. papers];
    }
}
