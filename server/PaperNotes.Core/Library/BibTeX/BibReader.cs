using System.Buffers;
using PaperNotes.Core.Text;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>A field value still in LaTeX: a slice of the file text (no copy) or, after '#' joins, its own string.</summary>
internal readonly record struct BibValue(string Source, int Start, int Length)
{
    public static BibValue Of(string s) => new(s, 0, s.Length);
    /// <summary>A value the keys-only scan measured and does not keep: its text lay in a window that is reused for the next
    /// piece of the file, so only its length is known (reading its text throws).</summary>
    public static BibValue Unkept(int length) => new(string.Empty, 0, length);
    public ReadOnlySpan<char> Span => Source.AsSpan(Start, Length);
    public override string ToString() => Start == 0 && Length == Source.Length ? Source : Source.Substring(Start, Length);
}

/// <summary>One entry as written: lower-cased type, key, fields with @string macros expanded and
/// <c>#</c> joined, values still LaTeX. Field names are lower-case and shared (compare by reference is fine).</summary>
internal sealed class RawEntry(string type, string key, TextSpan keySpan)
{
    public string Type { get; } = type;
    public string Key { get; } = key;
    public TextSpan KeySpan { get; } = keySpan;
    public TextSpan EntrySpan { get; set; }
    public List<KeyValuePair<string, BibValue>> Fields { get; set; } = new(12);

    public BibValue? Get(string name)
    {
        foreach (var f in Fields)
            if (string.Equals(f.Key, name, StringComparison.Ordinal)) return f.Value;
        return null;
    }
}

/// <summary>Where one entry is, found by a key-only scan: enough to index keys without decoding anything.</summary>
/// <param name="ScanEnd">Where the scan went on after the entry: with <see cref="TextSpan.End"/> of the entry span (less for
/// a broken entry), the text a re-read of the entry needs.</param>
/// <param name="Hash">XxHash3 of the entry's text (its span, as UTF-16), taken while the scan reads it: a file that
/// replaces another tells its unchanged entries by it without decompressing or decoding them again.</param>
internal readonly record struct ScannedEntry(string Key, TextSpan KeySpan, TextSpan EntrySpan, int ScanEnd, ulong Hash);

/// <summary>
/// Every <c>@string</c> definition with the offset of the <c>@string</c> that made it, so an entry can be
/// re-read later (lazily, on any thread) with exactly the macros defined before it, and the offset from which
/// macros are no longer expanded (<see cref="StopExpandingAt"/>). Read-only once the scan is done.
/// </summary>
internal sealed class MacroTable
{
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] MonthMacros = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private readonly Dictionary<string, List<(int At, BibValue Value)>> _definitions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<(int At, BibValue Value)>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public MacroTable()
    {
        _lookup = _definitions.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int m = 0; m < 12; m++) Define(MonthMacros[m], -1, BibValue.Of(MonthNames[m]));
    }

    /// <summary>The month (1–12) when <paramref name="value"/> is exactly a predefined month macro's expansion
    /// (<c>month = mar</c>), not text that reads like one (<c>month = {March}</c>): pandoc reads only the former as a month.</summary>
    public static int? MonthOf(BibValue value)
    {
        for (int m = 0; m < 12; m++)
            if (ReferenceEquals(value.Source, MonthNames[m]) && value.Start == 0 && value.Length == MonthNames[m].Length) return m + 1;
        return null;
    }

    /// <summary>Macro uses at or after this offset stay unexpanded: the file's expansion budget ran out there.</summary>
    public int StopExpandingAt { get; set; } = int.MaxValue;

    // The file's own definitions in file order (the month macros are not in it): what makes two tables alike.
    private readonly List<(int At, string Name, string Value)> _ordered = [];

    /// <summary>The file's own definitions in file order: with <see cref="StopExpandingAt"/>, all a table is (the
    /// month macros are always there).</summary>
    public IReadOnlyList<(int At, string Name, string Value)> Definitions => _ordered;

    public void Define(string name, int at, BibValue value)
    {
        if (!_definitions.TryGetValue(name, out var list)) _definitions[name] = list = new List<(int, BibValue)>(1);
        // A copy, not a slice: lazily decoded papers keep the table, and must not keep the whole file text alive.
        var copy = value.Length == value.Source.Length ? value : BibValue.Of(value.ToString());
        list.Add((at, copy));
        if (at >= 0) _ordered.Add((at, name, copy.ToString()));
    }

    /// <summary>True when both files define the same macros with the same values in the same order, and neither ran out
    /// of expansion budget: an entry with the same text after the same number of definitions then reads the same.</summary>
    public bool SameDefinitionsAs(MacroTable other)
    {
        if (StopExpandingAt != int.MaxValue || other.StopExpandingAt != int.MaxValue || _ordered.Count != other._ordered.Count) return false;
        for (int i = 0; i < _ordered.Count; i++)
            if (!string.Equals(_ordered[i].Name, other._ordered[i].Name, StringComparison.OrdinalIgnoreCase) || _ordered[i].Value != other._ordered[i].Value)
                return false;
        return true;
    }

    /// <summary>How many of the file's own definitions come before <paramref name="offset"/>.</summary>
    public int DefinitionsBefore(int offset)
    {
        int lo = 0, hi = _ordered.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_ordered[mid].At < offset) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The value of the macro as an entry starting at <paramref name="before"/> sees it: the last
    /// definition made by an earlier <c>@string</c>.</summary>
    public bool TryGet(ReadOnlySpan<char> name, int before, out BibValue value)
    {
        if (_lookup.TryGetValue(name, out var list))
        {
            for (int i = list.Count - 1; i >= 0; i--)
                if (list[i].At < before) { value = list[i].Value; return true; }
        }
        value = default;
        return false;
    }
}

/// <summary>
/// Hand-written scanner over the file text. Reads entries in order, records errors at the exact
/// offset, and recovers at the next <c>@</c> that starts an entry; an unterminated value stops at a
/// line-initial <c>@</c>. Never throws.
/// </summary>
internal sealed class BibReader
{
    /// <summary>A value joined with '#' (or an @string) may be this long: far beyond any real field, and what bounds
    /// "@string{s2 = s1 # s1 # s1}" doubling up to gigabytes.</summary>
    public const int MaxValueLength = 1 << 20;
    /// <summary>Expanded macros may add this many characters to a file beyond its own length: the per-value cap
    /// alone would still let 100k short entries each copy a 1 MB macro.</summary>
    public const int ExpansionAllowance = 16 << 20;
    /// <summary>Real values nest braces a few levels ({\"{o}}); deeper is garbage, reported but still read.</summary>
    public const int MaxBraceDepth = 64;
    /// <summary>A value, comment or line is looked for its end this far at most (no real one comes near): so reading a
    /// file as it streams in never has to hold more than this of it at once to decide where an entry ends.</summary>
    public const int MaxScan = 32 << 20;

    private static readonly SearchValues<char> Braces = SearchValues.Create("{}");
    private static readonly SearchValues<char> QuoteStops = SearchValues.Create("{}\"@");
    // The text being read: the whole file, or a window of it starting at _base (a line start) when the file is scanned
    // as it streams in (ScanWindow) or one entry is re-read. Positions inside are relative; spans given out are absolute.
    private ReadOnlyMemory<char> _text;
    // The text as a string, when it is one: values are slices of it. Null while scanning a window of the streamed file,
    // a buffer reused from piece to piece: values are then copied when kept, else measured only.
    private string? _source;
    private int _base;
    // Some decision looked at the end of _text: in a window that is not the file's last, it might go otherwise with more.
    private bool _ranOut;
    private readonly long _budgetLength;
    private readonly bool _keysOnly;
    private readonly bool _namesFrozen;
    private readonly List<LibraryError> _errors = [];
    private readonly List<RawEntry> _entries = [];
    // The keys-only scan's entries: an array grown by doubling (from the replaced file's count on a reload, which a rewrite
    // mostly keeps), handed over whole when it is full (at a million papers it is 40 MB, a list's copies as much again).
    private ScannedEntry[] _scanned = [];
    private int _scannedCount;
    private readonly List<string> _fieldNames = new(16);
    private readonly MacroTable _macros;
    private readonly Dictionary<string, string> _names;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private int _pos;
    private int _entryAt;
    private string? _knownKey;
    private long _expanded;

    /// <summary>A reader of the whole file. <paramref name="keysOnly"/>: find entries, keys, spans, errors and
    /// @string macros, but keep no field values (<see cref="Scanned"/> instead of <see cref="Entries"/>).</summary>
    public BibReader(string text, bool keysOnly = false)
        : this(text, 0, text.Length, keysOnly, new MacroTable(), new Dictionary<string, string>(StringComparer.Ordinal), namesFrozen: false) { }

    /// <summary>A keys-only scanner fed the file window by window (<see cref="ScanWindow"/>).
    /// <paramref name="budgetLength"/>: the file's length, on which the macro expansion budget is based.</summary>
    public static BibReader ForWindows(long budgetLength) =>
        new("", 0, budgetLength, keysOnly: true, new MacroTable(), new Dictionary<string, string>(StringComparer.Ordinal), namesFrozen: false);

    /// <summary>This keys-only scan, of a file that replaces one whose keys are <paramref name="previousKeys"/> (key → its
    /// entry's index there): a key found again is that very string, so a rewritten library does not hold its million keys
    /// twice (the carried-over search and "did you mean" indexes hold the old ones).</summary>
    public BibReader ReusingKeysOf(Dictionary<string, int>? previousKeys)
    {
        if (previousKeys is null) return this;
        PreviousKeys = previousKeys;
        _scanned = new ScannedEntry[previousKeys.Count];
        _previousKeyLookup = previousKeys.GetAlternateLookup<ReadOnlySpan<char>>();
        return this;
    }

    /// <summary>The replaced file's keys, when this scan was given them.</summary>
    public Dictionary<string, int>? PreviousKeys { get; private set; }
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _previousKeyLookup;

    private BibReader(string text, int @base, long budgetLength, bool keysOnly, MacroTable macros, Dictionary<string, string> names, bool namesFrozen)
    {
        _text = text.AsMemory();
        _source = text;
        _base = @base;
        _budgetLength = budgetLength;
        _keysOnly = keysOnly;
        _macros = macros;
        _names = names;
        _namesFrozen = namesFrozen;
        _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public List<RawEntry> Entries => _entries;
    public List<LibraryError> Errors => _errors;
    /// <summary>The entries the keys-only scan found, in order (the scanner's own array when it holds exactly those).</summary>
    public ScannedEntry[] Scanned() => _scannedCount == _scanned.Length ? _scanned : _scanned[.._scannedCount];
    public MacroTable Macros => _macros;
    /// <summary>The shared lower-case field names and types met by the scan.</summary>
    public Dictionary<string, string> Names => _names;
    /// <summary>Some entry has a crossref or xdata field (keys-only scan): entries then depend on each other.</summary>
    public bool HasInheritance { get; private set; }

    /// <summary>A reader that re-reads single entries (<see cref="ReadEntryAt"/>) with the macros and names of a
    /// finished keys-only scan (both only read: one such reader per thread is safe).</summary>
    public static BibReader ForEntries(string text, MacroTable macros, Dictionary<string, string> names) =>
        new(text, 0, text.Length, keysOnly: false, macros, names, namesFrozen: true);

    /// <summary>A reader of single entries (<see cref="ReadEntryAt"/>) in <paramref name="window"/>, the file's text from
    /// offset <paramref name="base"/> on, with the macros and names of a finished keys-only scan.</summary>
    public static BibReader ForEntry(string window, int @base, MacroTable macros, Dictionary<string, string> names) =>
        new(window, @base, window.Length, keysOnly: false, macros, names, namesFrozen: true);

    /// <summary>Re-reads the one entry starting at <paramref name="at"/>, whose key the scan found to be
    /// <paramref name="key"/> (that string is reused). Errors were reported by the scan already.</summary>
    public RawEntry? ReadEntryAt(int at, string key)
    {
        _entries.Clear();
        _errors.Clear();
        _pos = at - _base + 1;
        _knownKey = key;
        ReadEntry(at - _base);
        return _entries.Count == 1 ? _entries[0] : null;
    }

    public void ReadAll() => ReadEvents(final: true);

    /// <summary>Scans <paramref name="window"/>, the file's text from offset <paramref name="base"/> (a line start) on,
    /// from <paramref name="from"/> (absolute) to its end, and returns where the next window must go on: the start of the
    /// first entry (or comment) that might read differently with the text after the window, whose findings are all
    /// undone; the window's end when there is none. In the <paramref name="final"/> window (the file's end) everything is
    /// read. Scanning a file window by window finds exactly what one scan of the whole text finds.</summary>
    /// <remarks>The window may be a buffer the caller reuses: the scan keeps nothing of it (its @string values are copied).</remarks>
    public int ScanWindow(ReadOnlyMemory<char> window, int @base, int from, bool final)
    {
        _text = window;
        _source = null;
        _base = @base;
        _pos = from - @base;
        return ReadEvents(final) + @base;
    }

    private int ReadEvents(bool final)
    {
        var text = _text.Span;
        while (_pos < text.Length)
        {
            int at = text[_pos..].IndexOfAny('@', '%');
            if (at < 0) break;
            at += _pos;
            int errors = _errors.Count, scanned = _scannedCount;
            (long expanded, int stopAt, bool inheritance) = (_expanded, _macros.StopExpandingAt, HasInheritance);
            _ranOut = false;
            if (text[at] == '%')
            {
                // A '%' comment between entries runs to the end of the line, as biber and pandoc read it:
                // "%@book{old, ...}" is a commented-out entry, not an entry.
                _pos = AfterLine(at);
            }
            else
            {
                _pos = at + 1;
                ReadEntry(at);
            }
            if (_ranOut && !final)
            {
                _errors.RemoveRange(errors, _errors.Count - errors);
                Array.Clear(_scanned, scanned, _scannedCount - scanned);
                _scannedCount = scanned;
                (_expanded, _macros.StopExpandingAt, HasInheritance) = (expanded, stopAt, inheritance);
                return at;
            }
        }
        return _text.Length;
    }

    /// <summary>Whether <paramref name="p"/> is inside the text; noting when a decision needed what lies past its end.</summary>
    private bool More(int p)
    {
        if (p < _text.Length) return true;
        _ranOut = true;
        return false;
    }

    private void Error(int start, int length, string message) => _errors.Add(new LibraryError(new TextSpan(start + _base, length), message));

    private void ReadEntry(int at)
    {
        var t = _text.Span;
        _entryAt = at;
        int p = SkipWhitespace(at + 1);
        int typeStart = p;
        while (More(p) && char.IsAsciiLetterOrDigit(t[p]) || More(p) && t[p] is '_' or '-' or ':') p++;
        if (p == typeStart) return; // a lone '@' in text between entries
        var type = Intern(t.Slice(typeStart, p - typeStart));
        p = SkipWhitespace(p);
        if (!More(p) || t[p] is not ('{' or '('))
        {
            // "@comment rest of line": BibTeX ignores the word; "me@example.org" in text between entries is no entry
            if (type == "comment" || at > 0 && char.IsLetterOrDigit(t[at - 1])) { _pos = p; return; }
            Error(p, More(p) ? 1 : 0, $"expected '{{' or '(' after '@{type}'");
            _pos = p;
            return;
        }
        char close = t[p] == '{' ? '}' : ')';
        int open = p;
        p++;
        if (type == "comment")
        {
            int end = close == '}' ? ScanBraced(open) : IndexOrRunOut(')', p);
            _pos = end < 0 ? p : end + 1; // an unclosed @comment is just text: entries inside it still load
            return;
        }
        if (type == "preamble")
        {
            // Ignored, whatever it holds (often bare LaTeX, not a quoted value): skip to its closing delimiter.
            int end = close == '}' ? ScanBraced(open) : IndexOrRunOut(')', p);
            _pos = end < 0 ? p : end + 1;
            return;
        }
        if (type == "string")
        {
            var fields = new List<KeyValuePair<string, BibValue>>(1);
            _pos = p;
            ReadFields(fields, close, out _);
            if (_ranOut) return; // undone unless this is the file's end, where it is read as before
            foreach (var f in fields) _macros.Define(f.Key, at + _base, f.Value);
            return;
        }

        // key
        p = SkipWhitespace(p);
        int keyStart = p;
        while (More(p) && IsKeyChar(t[p], close)) p++;
        string? key = null;
        int afterKey = SkipWhitespace(p);
        if (p == keyStart || More(afterKey) && t[afterKey] == '=')
        {
            Error(keyStart, 0, "missing entry key");
            p = keyStart;
        }
        else
        {
            var keyText = t.Slice(keyStart, p - keyStart);
            key = _knownKey is not null && keyText.SequenceEqual(_knownKey) ? _knownKey
                : PreviousKeys is not null && _previousKeyLookup.TryGetValue(keyText, out string? known, out _) ? known
                : keyText.ToString();
            p = afterKey;
            if (More(p) && t[p] == ',') p++;
            else if (More(p) && t[p] != close) Error(p, 1, $"expected ',' after entry key '{key}'");
        }
        _pos = p;
        if (_keysOnly)
        {
            ReadFields(null, close, out int end);
            if (key is not null)
                AddScanned(new ScannedEntry(key, new TextSpan(keyStart + _base, key.Length), TextSpan.FromBounds(at + _base, end + _base), _pos + _base,
                    System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Slice(at, end - at)))));
            return;
        }
        var entry = new RawEntry(type, key ?? "", new TextSpan(keyStart + _base, key?.Length ?? 0));
        ReadFields(entry.Fields, close, out int entryEnd);
        entry.EntrySpan = TextSpan.FromBounds(at + _base, entryEnd + _base);
        if (key is not null) _entries.Add(entry);
    }

    private void AddScanned(ScannedEntry entry)
    {
        if (_scannedCount == _scanned.Length) Array.Resize(ref _scanned, Math.Max(16, _scanned.Length * 2));
        _scanned[_scannedCount++] = entry;
    }

    /// <summary>Reads "name = value" pairs up to the closing delimiter. <paramref name="end"/> is the offset after
    /// the closer, or after the last good token when the entry is broken. <paramref name="fields"/> null: only
    /// scan (names are still checked for duplicates; values are not kept).</summary>
    private void ReadFields(List<KeyValuePair<string, BibValue>>? fields, char close, out int end)
    {
        var t = _text.Span;
        int lastGood = _pos;
        _fieldNames.Clear();
        while (true)
        {
            int p = SkipWhitespace(_pos);
            if (!More(p))
            {
                Error(lastGood, 0, $"unclosed entry: expected '{close}'");
                end = lastGood; _pos = t.Length;
                return;
            }
            char c = t[p];
            if (c == close) { end = p + 1; _pos = p + 1; return; }
            if (c == ',') { _pos = p + 1; lastGood = p + 1; continue; }
            if (c == '%')
            {
                // biber reads "% ..." between fields as a comment to the end of the line.
                _pos = AfterLine(p);
                continue;
            }
            if (c == '@' && IsEntryStart(p))
            {
                Error(lastGood, 0, $"unclosed entry: expected '{close}'");
                end = lastGood; _pos = p;
                return;
            }
            int nameStart = p;
            while (More(p) && IsNameChar(t[p])) p++;
            if (p == nameStart)
            {
                Error(p, 1, $"unexpected '{c}' in entry: expected a field name");
                end = lastGood; _pos = NextEntryStart(p + 1);
                return;
            }
            var name = Intern(t.Slice(nameStart, p - nameStart));
            p = SkipWhitespace(p);
            if (!More(p) || t[p] != '=')
            {
                Error(p, More(p) ? 1 : 0, $"expected '=' after field name '{name}'");
                end = lastGood; _pos = NextEntryStart(p);
                return;
            }
            _pos = p + 1;
            var value = ReadValue(name, keep: fields is not null, out bool stop);
            if (value is BibValue v)
            {
                bool duplicate = false;
                foreach (var f in _fieldNames)
                    if (ReferenceEquals(f, name) || string.Equals(f, name, StringComparison.Ordinal)) { duplicate = true; break; }
                if (duplicate) Error(nameStart, name.Length, $"duplicate field '{name}': the first one is used");
                else
                {
                    _fieldNames.Add(name);
                    fields?.Add(new(name, v));
                    if (fields is null && name is "crossref" or "xdata") HasInheritance = true;
                }
                lastGood = _pos;
            }
            if (stop) { end = lastGood; return; }
            p = SkipWhitespace(_pos);
            if (More(p) && t[p] != ',' && t[p] != close && !(t[p] == '@' && IsEntryStart(p)))
            {
                Error(p, 1, $"expected ',' or '{close}' after field '{name}'");
                _pos = p;
            }
        }
    }

    /// <summary>Reads a value: parts joined by '#'. Returns null and sets <paramref name="stop"/> when the entry cannot go on.
    /// Without <paramref name="keep"/> only the syntax and the expanded length are read: the result is then a placeholder.
    /// A value longer than <see cref="MaxValueLength"/> once expanded is an error at the part that made it so, and empty.</summary>
    private BibValue? ReadValue(string field, bool keep, out bool stop)
    {
        var t = _text.Span;
        stop = false;
        BibValue? single = null;
        System.Text.StringBuilder? joined = null;
        long length = 0;
        bool tooLong = false;
        while (true)
        {
            int p = SkipWhitespace(_pos);
            if (!More(p))
            {
                Error(p, 0, $"expected a value for field '{field}'");
                _pos = p; stop = true;
                return null;
            }
            char c = t[p];
            int partStart = p;
            BibValue part;
            if (c is '{' or '"')
            {
                int tooDeep;
                int close = c == '{' ? ScanBraced(p, out tooDeep) : ScanQuoted(p, out tooDeep);
                if (close < 0)
                {
                    Error(p, 1, c == '{' ? $"unterminated value for field '{field}': missing '}}'" : $"unterminated value for field '{field}': missing '\"'");
                    _pos = NextLineInitialEntryStart(p + 1); stop = true;
                    return null;
                }
                if (tooDeep >= 0) Error(tooDeep, 1, $"braces in '{field}' nested more than {MaxBraceDepth} levels deep");
                part = Value(p + 1, close - p - 1, keep);
                _pos = close + 1;
            }
            else if (IsNameChar(c))
            {
                int s = p;
                while (More(p) && IsNameChar(t[p])) p++;
                var word = t.Slice(s, p - s);
                part = tooLong || char.IsAsciiDigit(c) && !word.ContainsAnyExceptInRange('0', '9') ? Value(s, p - s, keep) : Expand(word, s, keep);
                _pos = p;
            }
            else
            {
                Error(p, 1, $"expected a value for field '{field}'");
                _pos = NextEntryStart(p); stop = true;
                return null;
            }
            length += part.Length;
            if (!tooLong && length > MaxValueLength && (single is not null || joined is not null))
            {
                tooLong = true;
                Error(partStart, _pos - partStart, $"'{field}' is longer than {MaxValueLength:N0} characters once its macros are expanded and joined: it is left empty");
            }
            if (!tooLong)
            {
                if (single is null && joined is null || !keep) single = part;
                else
                {
                    if (joined is null) { joined = new System.Text.StringBuilder(); joined.Append(single!.Value.Span); }
                    joined.Append(part.Span);
                }
            }
            p = SkipWhitespace(_pos);
            if (More(p) && t[p] == '#') { _pos = p + 1; continue; }
            if (tooLong) return BibValue.Of("");
            return joined is null ? single : BibValue.Of(joined.ToString());
        }
    }

    /// <summary>The macro's value as seen at <paramref name="at"/>, or the name itself when it is undefined (it may live in
    /// another file) or the file's expansion budget ran out (an error there, once).</summary>
    private BibValue Expand(ReadOnlySpan<char> name, int at, bool keep)
    {
        var raw = Value(at, name.Length, keep);
        if (at + _base >= _macros.StopExpandingAt || !_macros.TryGet(name, _entryAt + _base, out var expansion)) return raw;
        if (_namesFrozen) return expansion; // re-reading one entry: the scan charged the budget and set where it stops
        _expanded += expansion.Length;
        if (_expanded <= ExpansionAllowance + _budgetLength) return expansion;
        _macros.StopExpandingAt = at + _base;
        Error(at, name.Length, $"macros in this file expand to more than {ExpansionAllowance + _budgetLength:N0} characters: " +
            $"'{name}' and the macros after it are not expanded");
        return raw;
    }

    /// <summary>The value at <paramref name="start"/>: a slice of the text when it is a string; in a reused window, a copy
    /// when it is kept (an @string's), else only its length.</summary>
    private BibValue Value(int start, int length, bool keep) =>
        _source is not null ? new BibValue(_source, start, length)
        : keep ? BibValue.Of(new string(_text.Span.Slice(start, length)))
        : BibValue.Unkept(length);

    private int ScanBraced(int open) => ScanBraced(open, out _);

    /// <summary>Offset of the '}' matching the '{' at <paramref name="open"/>, or -1. <paramref name="tooDeep"/>: the first
    /// '{' nested more than <see cref="MaxBraceDepth"/> levels inside, or -1.</summary>
    private int ScanBraced(int open, out int tooDeep)
    {
        var s = Bounded(open);
        int depth = 0, i = open;
        tooDeep = -1;
        while (true)
        {
            int k = s[i..].IndexOfAny(Braces);
            if (k < 0) return NotFound(open);
            i += k;
            if (s[i] == '{' && ++depth > MaxBraceDepth + 1 && tooDeep < 0) tooDeep = i;
            else if (s[i] == '}' && --depth == 0) return i;
            i++;
        }
    }

    /// <summary>Offset of the '"' closing the quoted value at <paramref name="open"/> (at brace depth 0), or -1
    /// when the file ends or a line-initial entry start comes first.</summary>
    private int ScanQuoted(int open, out int tooDeep)
    {
        var s = Bounded(open);
        int depth = 0, i = open + 1;
        tooDeep = -1;
        while (true)
        {
            int k = s[i..].IndexOfAny(QuoteStops);
            if (k < 0) return NotFound(open);
            i += k;
            switch (s[i])
            {
                case '{': if (++depth > MaxBraceDepth && tooDeep < 0) tooDeep = i; break;
                case '}': if (depth > 0) depth--; break;
                case '"': if (depth == 0) return i; break;
                default: if (IsLineInitial(i) && IsEntryStart(i)) return -1; break;
            }
            i++;
        }
    }

    private bool IsLineInitial(int at)
    {
        var t = _text.Span;
        int i = at - 1;
        while (i >= 0 && t[i] is ' ' or '\t') i--;
        return i < 0 || t[i] is '\n' or '\r';
    }

    /// <summary>'@' + optional blanks + a type name + optional blanks + '{' or '('.</summary>
    private bool IsEntryStart(int at)
    {
        var t = _text.Span;
        int p = SkipWhitespace(at + 1);
        int s = p;
        while (More(p) && char.IsAsciiLetter(t[p])) p++;
        if (p == s) return false;
        p = SkipWhitespace(p);
        return More(p) && t[p] is '{' or '(';
    }

    private int NextEntryStart(int from)
    {
        int i = from;
        while (i < _text.Length)
        {
            int at = _text.Span[i..].IndexOf('@');
            if (at < 0) break;
            at += i;
            if (IsEntryStart(at)) return at;
            i = at + 1;
        }
        _ranOut = true;
        return _text.Length;
    }

    private int NextLineInitialEntryStart(int from)
    {
        int i = from;
        while (i < _text.Length)
        {
            int at = _text.Span[i..].IndexOf('@');
            if (at < 0) break;
            at += i;
            if (IsLineInitial(at) && IsEntryStart(at)) return at;
            i = at + 1;
        }
        _ranOut = true;
        return _text.Length;
    }

    /// <summary>Where the line of <paramref name="from"/> ends (after its '\n'); a line is looked at <see cref="MaxScan"/> far.</summary>
    private int AfterLine(int from)
    {
        int newline = IndexOrRunOut('\n', from);
        return newline >= 0 ? newline + 1 : (int)Math.Min(_text.Length, (long)from + MaxScan);
    }

    private int IndexOrRunOut(char c, int from)
    {
        int at = Bounded(from)[from..].IndexOf(c);
        return at < 0 ? NotFound(from) : at + from;
    }

    /// <summary>The text to look in for the end of what starts at <paramref name="from"/>: at most <see cref="MaxScan"/>.</summary>
    private ReadOnlySpan<char> Bounded(int from) => _text.Span[..(int)Math.Min(_text.Length, (long)from + MaxScan)];

    /// <summary>-1: nothing ends what starts at <paramref name="from"/> within <see cref="MaxScan"/>, or the text ended first.</summary>
    private int NotFound(int from)
    {
        if ((long)from + MaxScan >= _text.Length) _ranOut = true;
        return -1;
    }

    private int SkipWhitespace(int p)
    {
        var t = _text.Span;
        while (More(p) && (t[p] is ' ' or '\n' or '\r' or '\t' || t[p] > 127 && char.IsWhiteSpace(t[p]))) p++;
        return p;
    }

    /// <summary>Field, macro and type names: printable characters except BibTeX's specials.</summary>
    private static bool IsNameChar(char c) =>
        c > ' ' && c is not ('"' or '#' or '%' or '\'' or '(' or ')' or ',' or '=' or '{' or '}' or '@' or '\\' or '\u007F')
        && (c < 128 || !char.IsWhiteSpace(c));

    private static bool IsKeyChar(char c, char close) =>
        c > ' ' && c is not (',' or '{' or '}' or '=' or '"' or '#' or '@' or '\\') && c != close
        && (c < 128 || !char.IsWhiteSpace(c));

    /// <summary>The lower-case, shared string for a field name or type.</summary>
    private string Intern(ReadOnlySpan<char> name)
    {
        if (name.ContainsAnyInRange('A', 'Z') || name.ContainsAnyExceptInRange('\0', '\u007F'))
        {
            Span<char> lower = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
            name.ToLowerInvariant(lower);
            if (_nameLookup.TryGetValue(lower, out var hit)) return hit;
            var s = lower.ToString();
            if (!_namesFrozen) _names[s] = s;
            return s;
        }
        if (_nameLookup.TryGetValue(name, out var found)) return found;
        var str = name.ToString();
        if (!_namesFrozen) _names[str] = str;
        return str;
    }
}
