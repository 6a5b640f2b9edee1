using System.Globalization;
using System.Text;
using CsCheck;

namespace PaperNotes.Server.Tests;

/// <summary>
/// A JSON value written by hand, so its strings may hold what a .NET string can but a JSON writer refuses
/// (lone surrogates become <c>\uD800</c> escapes, NULs <c>\u0000</c>), and so a fuzzer can take it apart.
/// </summary>
public abstract record Json
{
    public sealed record Obj(IReadOnlyList<KeyValuePair<string, Json>> Members) : Json;
    public sealed record Arr(IReadOnlyList<Json> Items) : Json;
    public sealed record Str(string Value) : Json;
    /// <summary>Numbers, literals, or any verbatim JSON text (deep nesting is written as text).</summary>
    public sealed record Lit(string Text) : Json;

    public static readonly Json Null = new Lit("null");
    public static Json Num(int n) => new Lit(n.ToString(CultureInfo.InvariantCulture));
    public static Json Num(long n) => new Lit(n.ToString(CultureInfo.InvariantCulture));
    public static Json Bool(bool b) => new Lit(b ? "true" : "false");
    public static Obj O(params (string Key, Json Value)[] members) => new(members.Select(m => KeyValuePair.Create(m.Key, m.Value)).ToList());
    public static Arr A(params Json[] items) => new(items);

    /// <param name="asciiOnly">Escape every non-ASCII character (else only what JSON requires, and lone surrogates).</param>
    public string Render(bool asciiOnly = true)
    {
        var sb = new StringBuilder();
        Write(sb, this, asciiOnly);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, Json json, bool asciiOnly)
    {
        switch (json)
        {
            case Lit lit: sb.Append(lit.Text); break;
            case Str str: WriteString(sb, str.Value, asciiOnly); break;
            case Arr arr:
                sb.Append('[');
                for (int i = 0; i < arr.Items.Count; i++) { if (i > 0) sb.Append(','); Write(sb, arr.Items[i], asciiOnly); }
                sb.Append(']');
                break;
            case Obj obj:
                sb.Append('{');
                for (int i = 0; i < obj.Members.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteString(sb, obj.Members[i].Key, asciiOnly);
                    sb.Append(':');
                    Write(sb, obj.Members[i].Value, asciiOnly);
                }
                sb.Append('}');
                break;
        }
    }

    public static void WriteString(StringBuilder sb, string s, bool asciiOnly)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
            if (c == '"') sb.Append("\\\"");
            else if (c == '\\') sb.Append("\\\\");
            else if (pair && !asciiOnly) sb.Append(c).Append(s[++i]);
            else if (c < 0x20 || (c >= 0x7f && asciiOnly) || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        sb.Append('"');
    }

    /// <summary>Number of nodes (members' values and items included), for picking one to mutate.</summary>
    public int Count => this switch
    {
        Obj o => 1 + o.Members.Sum(m => m.Value.Count),
        Arr a => 1 + a.Items.Sum(i => i.Count),
        _ => 1,
    };

    /// <summary>This tree with its <paramref name="target"/>-th node (pre-order) replaced; a null replacement deletes it.</summary>
    public Json? Replace(int target, Func<Json, Json?> replace)
    {
        int index = 0;
        return Walk(this);

        Json? Walk(Json node)
        {
            if (index++ == target) return replace(node);
            return node switch
            {
                Obj o => new Obj(o.Members.Select(m => (m.Key, Value: Walk(m.Value))).Where(m => m.Value is not null)
                    .Select(m => KeyValuePair.Create(m.Key, m.Value!)).ToList()),
                Arr a => new Arr(a.Items.Select(Walk).OfType<Json>().ToList()),
                _ => node,
            };
        }
    }
}

/// <summary>How a file the fuzzer wrote is made known to the server.</summary>
public enum Announce { Watched, Open, Silent }

/// <summary>One fuzz case: what the client does.</summary>
public abstract record FuzzStep
{
    /// <summary>A request, answered (result or error) unless the server is broken; cancelled at once when <paramref name="Cancel"/>.</summary>
    public sealed record Request(string Method, Json? Params, bool Cancel = false) : FuzzStep;
    public sealed record Notify(string Method, Json? Params) : FuzzStep;
    /// <summary>Several requests in flight at once, some cancelled.</summary>
    public sealed record Burst(IReadOnlyList<Request> Requests) : FuzzStep;
    /// <summary>A JSON-RPC message written by hand; <c>$ID</c> becomes a fresh id whose answer is awaited when <paramref name="Awaited"/>.</summary>
    public sealed record Envelope(string Text, bool Awaited) : FuzzStep;
    /// <summary>Bad framing that still ends at a message boundary (a frame the guard rejects without reading further).</summary>
    public sealed record Frame(string Header, byte[] Body) : FuzzStep;
    public sealed record WriteFile(string Path, byte[] Content, Announce How, string LanguageId) : FuzzStep;
    public sealed record DeleteFile(string Path, Announce How) : FuzzStep;

    public string Describe()
    {
        static string Cut(string s) => s.Length <= 400 ? s : s[..400] + $"... ({s.Length:N0} chars)";
        return this switch
        {
            Request r => $"request {r.Method}{(r.Cancel ? " (cancelled at once)" : "")} {Cut(r.Params?.Render() ?? "(no params)")}",
            Notify n => $"notification {n.Method} {Cut(n.Params?.Render() ?? "(no params)")}",
            Burst b => $"burst of {b.Requests.Count}: " + string.Join(" | ", b.Requests.Select(r => $"{r.Method}{(r.Cancel ? " (cancelled)" : "")}")),
            Envelope e => $"raw message {Cut(e.Text)}",
            Frame f => $"raw frame header {Cut(f.Header.ReplaceLineEndings("\\n"))} + {f.Body.Length:N0} body bytes {Cut(System.Convert.ToHexString(f.Body.AsSpan(0, Math.Min(64, f.Body.Length))))}",
            WriteFile w => $"write {w.Path} ({w.Content.Length:N0} bytes, {w.How}) {Cut(Encoding.UTF8.GetString(w.Content))}",
            DeleteFile d => $"delete {d.Path} ({d.How})",
            _ => ToString(),
        };
    }
}

/// <summary>
/// CsCheck generators of LSP traffic against the <see cref="ServerFixture"/> workspace at <paramref name="root"/>:
/// well-formed and mutated requests and notifications, odd URIs, bad edits, hostile file contents, raw garbage.
/// Case <c>i</c> of seed <c>s</c> is a pure function of (s, i): <c>new PCG(i, s)</c>.
/// </summary>
public sealed class LspFuzzer
{
    public static readonly string[] FixtureFiles = ["notes/a.md", "notes/b.md", "notes/papers/vaswani2017.md", "library/refs.bib"];
    public static readonly string[] ExtraFiles =
    [
        "notes/fuzz.md", "notes/deep/er/fuzz.markdown", "notes/odd name ü #%&+;=.md", "notes/.hidden.md", "notes/papers/tian2021understanding.md",
        "library/fuzz.bib", "library/fuzz.csl.json", "library/fuzz.csl.yaml", "notes/local.bib", "notes/local.json", "notes/local.yaml", "notes/plain.txt",
    ];
    /// <summary>Folders the fuzzer adds and removes: never there, never the workspace.</summary>
    public static readonly string[] ForeignFolders = ["file:///nonexistent-papernotes-fuzz/a", "file:///nonexistent-papernotes-fuzz/b", "untitled:folder", "http://example.com/folder"];

    private readonly string _root;
    public Gen<FuzzStep> Steps { get; }
    public IReadOnlyList<string> OddUris { get; }

    public LspFuzzer(string root)
    {
        _root = root;
        OddUris =
        [
            "untitled:Untitled-1", "http://example.com/notes/a.md", "https://example.com/x.bib", "file:///nowhere/x.md", "file://host/share/x.md",
            "notes/a.md", "a.md", "", " ", "file:", "file://", "file:///", LspTestClient.Uri(root), "file:///C:/Users/x.md", "FILE://" + root + "/notes/b.md",
            LspTestClient.Uri(root) + "/notes/a.md?query=1#fragment", "file://" + root + "/notes/%2e%2e/notes/b.md", "file://" + root + "/notes/%E2%82%AC.md",
            "file://" + root + "/notes/%zz%.md", "file://" + root + "/notes/" + new string('x', 3000) + ".md", "file://" + root + "/notes/a.md\0",
            "file:///x\uD800.md", "vscode-notebook-cell:/x.md#W0", "file:///tmp/../../../etc/nothing.md", "mailto:a@example.com", "urn:isbn:123",
            "\\\\server\\share\\a.md", "C:\\notes\\a.md", root + "/notes/b.md", "  file:///x.md  ", "file:///dev/null.bib", "file://" + root + "/notes/a%00.md",
            "file://" + root + "//notes///a.md", "file://" + root + "/notes/./a.md",
        ];
        Steps = BuildSteps();
    }

    public FuzzStep Step(ulong seed, long index) => Steps.Generate(new PCG((uint)index, seed), null, out _);

    /// <summary>
    /// How the client answers the <paramref name="ordinal"/>-th request of <paramref name="method"/> the server sends
    /// (registration, configuration, progress): null for the usual answer, else the raw messages to send, <c>$ID</c>
    /// standing for the id (two: answered twice). Keyed by method and ordinal, not by the request's id: how many refresh
    /// requests the server sends depends on how its snapshots coalesce, so ids shift from run to run, and a settings
    /// answer must not change with them. Some results carry globs: the restore puts the settings back.
    /// </summary>
    public static string[]? AnswerTo(ulong seed, string method, int ordinal) =>
        ServerRequestAnswers.Generate(new PCG((uint)ordinal, ~seed ^ Fnv1a(method)), null, out _);

    /// <summary>A hash that is the same in every process (string.GetHashCode is not).</summary>
    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in text) hash = (hash ^ c) * 1099511628211;
        return hash;
    }

    private static readonly Gen<string[]?> ServerRequestAnswers = Gen.Frequency<string[]?>(
        (14, Gen.Const<string[]?>((string[]?)null)),
        (3, Gen.OneOf("null", "1", "\"x\"", "[]", "[null]", "[{}]", "[{\"library\":\"x\"}]", "[{\"library\":[1,null]}]", "[{\"notes\":[\"\\uD800\"]}]", "[[1]]", "{\"a\":1}", Deep(80))
            .Select(r => (string[]?)[$"{{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":{r}}}"])),
        (3, Gen.OneOf("\"boom\"", "null", "{}", "[]", "{\"code\":1}", "{\"code\":\"1\",\"message\":\"m\"}", "{\"code\":1.5,\"message\":\"m\"}", "{\"code\":1,\"message\":5}",
                "{\"code\":1,\"message\":\"\\uD800\"}", "{\"code\":-32601,\"message\":\"no\"}", "{\"code\":1,\"message\":\"m\",\"data\":" + Deep(80) + "}")
            .Select(e => (string[]?)[$"{{\"jsonrpc\":\"2.0\",\"id\":$ID,\"error\":{e}}}"])),
        (1, Gen.Const<string[]?>(["{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":null}", "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":null}"])),
        (1, Gen.Const<string[]?>(["{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":null,\"error\":{\"code\":1,\"message\":\"both\"}}"])));

    /// <summary>The file URI of a workspace file, each path segment percent-encoded (names hold '#', '%', spaces).</summary>
    public string FileUri(string relative) => "file://" + string.Join('/', Path.Combine(_root, relative).Split('/').Select(System.Uri.EscapeDataString));

    // ---- text pieces ---------------------------------------------------------------------------------

    private static readonly string[] NotePieces =
    [
        "[@vaswani2017]", "[@vaswani2017, p. 3]", "[see @vaswani2017; @tian2021understanding]", "@tian2021understanding", "@vaswani2071", "[-@vaswani2017]",
        "@", "[@", "@{", "@{vaswani2017}", "[[", "]]", "[[b]]", "[[missing]]", "[[a|alias]]", "[[papers/vaswani2017]]", "# ", "## Heading", "---", "...",
        "citekey: vaswani2017", "citekey: ", "title: x", "bibliography: local.bib", "bibliography: [local.bib, local.json, ../library/refs.bib]",
        "bibliography: local.yaml", "tags: [a, b", ":", "`", "```", "~~~", "<!--", "-->", "$", "$$", "\\", "\\@", "[", "]", "(", ")", "{", "}", "*", "_",
        ">", "- ", "1. ", "|", "<div>", "</div>", "&amp;", "https://x.org/@a", "ada@example.com", "[x](a.md)", "[x](<a b.md>)", "![i](x.png)", "[^1]",
        "\t", " ", "\n", "\n", "\n", "\r\n", "\r", "\0", "😀", "\uD800", "\uDC00", "é", "\u200B", "\uFEFF", "\u2028", "\u0301", "    ", "&#64;",
    ];

    private static readonly string[] BibPieces =
    [
        "@article{", "@inproceedings{", "@book{", "@string{", "@preamble{", "@comment{", "@xdata{", "@set{", "@", "vaswani2017", "tian2021understanding",
        "key", ",", "title", "author", "editor", "crossref", "xdata", "year", "date", "month", "doi", "url", "abstract", "journal", "booktitle", "=", "{", "}",
        "\"", "#", "(", ")", " and ", "others", "\\'{e}", "\\\"o", "{\\", "\\", "\\url{", "$x^2$", "~", "-", "--", "2017", "2017-13-45", "neurips", "jan",
        "\n", "\n", "\r\n", " ", "%", "\0", "😀", "\uD800", "Vaswani, Ashish", "von Last, Jr, First", "{Barnes and Noble}",
    ];

    private static readonly string[] CslPieces =
    [
        "[", "]", "{", "}", "\"id\"", ":", ",", "\"title\"", "\"author\"", "\"family\"", "\"given\"", "\"literal\"", "\"issued\"", "\"date-parts\"",
        "[[2017]]", "[[\"2017\", 13]]", "\"vaswani2017\"", "null", "1e999", "-0", "true", "\"", "\\u", "\\uD800", "\"type\"", "\"article\"",
        "- id: vaswani2017\n", "  title: ", "references:\n", "  author:\n", "    - family: X\n", "&a ", "*a", "<<: *a", "!!binary ", "---\n", "...\n",
        "? ", ": ", "|", ">", "'", "\t", "\n", " ", "%YAML 1.2\n", "!<tag:x>", "\0",
    ];

    private static Gen<string> Pieces(string[] pieces) => Gen.Frequency(
        (10, Gen.OneOf(pieces)),
        (3, Gen.String.AlphaNumeric),
        (1, Gen.String[Gen.Char, 1, 6]));

    private static Gen<string> Text(string[] pieces, int max = 60) => Pieces(pieces).Array[0, max].Select(string.Concat);

    private static readonly int[] Sizes = [100, 1_000, 10_000, 100_000, 300_000];

    /// <summary>Inputs that break naive parsers: deep nesting, huge lines, macro and alias bombs, cycles, unbalanced front matter.</summary>
    private static readonly Func<int, string>[] HostileTemplates =
    [
        n => new string('{', n),
        n => "@article{k, title = " + new string('{', n) + new string('}', n) + "}",
        n => "@article{k, title = " + new string('{', n) + "\n@article{vaswani2017, title={T}}",
        n => "@article{k, author = {" + string.Concat(Enumerable.Repeat("A and ", n / 6)) + "}}",
        n => string.Concat(Enumerable.Range(0, Math.Min(n, 2000)).Select(i => $"@article{{k{i}, crossref = {{k{i + 1}}}}}\n")) + "@article{k0, crossref={k0}}",
        n => "@article{a, crossref={b}} @article{b, crossref={a}} @xdata{x, xdata={x}} @article{c, xdata={x,x,x}}",
        n => "@string{s0 = \"xy\"}\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"@string{{s{i} = s{i - 1} # s{i - 1}}}\n")) + "@article{k, title = s40}",
        n => new string('[', n),
        n => "[" + string.Concat(Enumerable.Repeat("{\"id\":\"k\",\"title\":\"t\"},", n / 28)) + "]",
        n => "---\ncitekey: " + new string('[', n) + "\n---\n",
        n => "---\n" + string.Concat(Enumerable.Range(0, Math.Min(n, 1000)).Select(i => new string(' ', i) + "- x\n")),
        n => "---\na: &a [x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 12).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [*{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}]\n")) + "citekey: *m\n---\n",
        n => "- id: k\n  a: &a [x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 12).Select(i => $"  {(char)('a' + i)}: &{(char)('a' + i)} [*{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}]\n")) + "  title: *m\n",
        n => "---\ntitle: x\n" + string.Concat(Enumerable.Repeat("[@vaswani2017] ", n / 15)),
        n => "---\n---\n---" + new string('\n', n),
        n => new string('>', n) + " [@vaswani2017]",
        n => string.Concat(Enumerable.Repeat("[@", n / 2)),
        n => string.Concat(Enumerable.Repeat("[[", n / 2)) + string.Concat(Enumerable.Repeat("]]", n / 2)),
        n => new string('*', n / 2) + "x" + new string('*', n / 2),
        n => new string('`', n),
        n => string.Concat(Enumerable.Repeat("- ", n / 2)) + "[@vaswani2017]",
        n => string.Concat(Enumerable.Range(0, Math.Min(n, 1000)).Select(i => new string(' ', 2 * i) + "- [@vaswani2017]\n")),
        n => new string('a', n),
        n => "@" + new string('a', n),
        n => "[@" + new string('a', n) + "]",
        n => "[[" + new string('a', n) + "]]",
        n => string.Concat(Enumerable.Repeat("@article{dup, title={x}}\n", n / 25)),
        n => string.Concat(Enumerable.Repeat("[@vaswani2017]\n", n / 15)),
        n => "\uFEFF" + ServerFixture.NoteA,
        n => ServerFixture.NoteA.Replace("\n", "\r\n"),
        n => ServerFixture.NoteA.Replace("\n", "\r"),
        n => ServerFixture.Bib.Replace("\n", "\r"),
        n => new string('\0', n),
        n => string.Concat(Enumerable.Repeat("😀", n / 2)),
        n => string.Concat(Enumerable.Repeat("\uD800", n)),
        n => new string('\n', n) + "[@vaswani2017]",
        n => string.Concat(Enumerable.Repeat("\\", n)),
        n => string.Concat(Enumerable.Repeat("<", n)),
        n => "| a | b |\n|---|---|\n" + string.Concat(Enumerable.Repeat("| [@vaswani2017] | x |\n", n / 25)),
    ];

    private static Gen<string> Hostile => Gen.Select(Gen.Int[0, HostileTemplates.Length - 1], Gen.OneOf(Sizes), (t, n) => HostileTemplates[t](n));

    /// <summary>A fixture text with a few pieces inserted at random places: mostly valid, realistic content.</summary>
    private static Gen<string> Edited(string text, string[] pieces) =>
        Gen.Select(Gen.Double[0, 1], Pieces(pieces)).Array[0, 4].Select(inserts =>
        {
            var edited = text;
            foreach (var (at, piece) in inserts) edited = edited.Insert((int)(at * edited.Length), piece);
            return edited;
        });

    private static Gen<string> NoteText => Gen.Frequency(
        (6, Text(NotePieces)),
        (4, Gen.OneOf(ServerFixture.NoteA, ServerFixture.NoteB, ServerFixture.PaperNote).SelectMany(t => Edited(t, NotePieces))),
        (1, Hostile));

    private static Gen<string> LibraryText => Gen.Frequency(
        (6, Text(BibPieces)),
        (4, Edited(ServerFixture.Bib, BibPieces)),
        (2, Text(CslPieces)),
        (1, Hostile));

    private static Gen<string> TextFor(string path) =>
        path.EndsWith(".md") || path.EndsWith(".markdown") ? Gen.Frequency((5, NoteText), (1, LibraryText)) : Gen.Frequency((1, NoteText), (5, LibraryText));

    private static Gen<byte[]> Bytes(string path) => Gen.Frequency(
        (8, TextFor(path).Select(t => Encoding.UTF8.GetBytes(t))),
        (2, Gen.Byte.Array[0, 4096]),
        (1, TextFor(path).Select(t => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(t)).ToArray())),
        (1, Gen.Const(new byte[] { 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x90, 0x28, 0xBC, 0xFF, 0xFE, 0xED, 0xA0, 0x80, (byte)'\n' })));

    // ---- JSON values ---------------------------------------------------------------------------------

    private static Gen<Json> Str(Gen<string> s) => s.Select(v => (Json)new Json.Str(v));

    private static readonly string[] OddNumbers =
        ["-1", "-2147483648", "2147483647", "2147483646", "2147483648", "4294967296", "9223372036854775808", "1.5", "-0", "1e308", "1e999", "0.0", "1E2", "-1e-400"];

    /// <summary>An LSP integer: mostly small and real, sometimes extreme, sometimes not a number at all.</summary>
    private static Gen<Json> Int(int small) => Gen.Frequency(
        (14, Gen.Int[0, small].Select(Json.Num)),
        (2, Gen.Int[0, 5000].Select(Json.Num)),
        (1, Gen.OneOf(OddNumbers).Select(n => (Json)new Json.Lit(n))),
        (1, Gen.OneOf(Json.Null, new Json.Str("3"), Json.Bool(true), Json.A(), Json.O())));

    private static Gen<Json> Scalar => Gen.Frequency(
        (3, Gen.OneOf(Json.Null, Json.Bool(true), Json.Bool(false), new Json.Str(""), Json.Num(0))),
        (2, Int(100)),
        (3, Str(Text(NotePieces, 8))));

    private static Gen<Json> Tree => Gen.Recursive<Json>((depth, self) => depth >= 3 ? Scalar : Gen.Frequency(
        (4, Scalar),
        (1, self.Array[0, 4].Select(items => (Json)new Json.Arr(items))),
        (1, Gen.Select(Gen.OneOf("uri", "line", "textDocument", "x", "", "id", "data", "key", "\uD800"), self).Array[0, 4]
            .Select(ms => (Json)new Json.Obj(ms.Select(m => KeyValuePair.Create(m.Item1, m.Item2)).ToList())))));

    private static Gen<Json> AnyJson => Gen.Frequency(
        (8, Tree),
        (1, Gen.Int[10, 3000].Select(d => (Json)new Json.Lit(Deep(d)))),
        (1, Gen.Int[10, 200].Select(d => (Json)new Json.Lit(string.Concat(Enumerable.Repeat("{\"a\":", d)) + "1" + new string('}', d)))));

    private static Gen<Json> Huge => Gen.Frequency(
        (3, Gen.Int[100_000, 1_000_000].Select(n => (Json)new Json.Str(new string('a', n)))),
        (1, Gen.Int[10_000, 200_000].Select(n => (Json)new Json.Str(string.Concat(Enumerable.Repeat("[@vaswani2017] 😀\n", n / 17))))),
        (1, Gen.Int[10_000, 100_000].Select(n => (Json)new Json.Arr(Enumerable.Repeat(Json.Num(1), n).ToList()))));

    /// <summary>The params mostly as they come, else with 1-3 nodes replaced, deleted, wrapped, or blown up.</summary>
    private static Gen<Json?> Mutated(Json json) => Gen.Frequency(
        (7, Gen.Const<Json?>(json)),
        (3, Gen.Int[1, 3].SelectMany(times => MutateTimes(json, times))));

    private static Gen<Json?> MutateTimes(Json json, int times) =>
        times == 0 ? Gen.Const<Json?>(json) : MutateOnce(json).SelectMany(j => j is null ? Gen.Const<Json?>((Json?)null) : MutateTimes(j, times - 1));

    private static Gen<Json?> MutateOnce(Json json) =>
        Gen.Select(Gen.Int[0, json.Count - 1], Gen.Int[0, 19]).SelectMany(t => t.Item2 switch
        {
            < 8 => AnyJson.Select(v => json.Replace(t.Item1, _ => v)),
            < 11 => Gen.Const<Json?>(json.Replace(t.Item1, _ => Json.Null)),
            < 15 => Gen.Const<Json?>(json.Replace(t.Item1, _ => null)),
            < 17 => Gen.Const<Json?>(json.Replace(t.Item1, n => Json.A(n))),
            < 19 => AnyJson.Select(v => json.Replace(t.Item1, n => n is Json.Obj o ? new Json.Obj([.. o.Members, KeyValuePair.Create("unexpected", v)]) : v)),
            _ => Huge.Select(v => json.Replace(t.Item1, _ => v)),
        });

    // ---- LSP messages ---------------------------------------------------------------------------------

    private Gen<string> RelativePath => Gen.Frequency((3, Gen.OneOf(FixtureFiles)), (2, Gen.OneOf(ExtraFiles)));

    private Gen<string> Uri => Gen.Frequency(
        (10, Gen.OneOf(FixtureFiles).Select(FileUri)),
        (5, Gen.OneOf(ExtraFiles).Select(FileUri)),
        (3, Gen.OneOf(OddUris.ToArray())));

    private Gen<Json> TextDocument => Uri.Select(u => (Json)Json.O(("uri", new Json.Str(u))));
    private static Gen<Json> Position => Gen.Select(Int(8), Int(90), (l, c) => (Json)Json.O(("line", l), ("character", c)));
    private static Gen<Json> Range => Gen.Select(Position, Position, (s, e) => (Json)Json.O(("start", s), ("end", e)));
    private Gen<Json> PositionParams => Gen.Select(TextDocument, Position, (d, p) => (Json)Json.O(("textDocument", d), ("position", p)));

    private static Gen<Json> Diagnostic => Gen.Select(Range, Gen.OneOf("unknown-citation", "duplicate-key", "x", ""), Str(Text(NotePieces, 5)),
        (r, code, message) => (Json)Json.O(("range", r), ("code", new Json.Str(code)), ("message", message), ("data", Json.O(("suggestions", Json.A(new Json.Str("vaswani2017")))))));

    private Gen<(string Method, Json Params)> TypedRequest => Gen.Frequency(
        (10, PositionParams.Select(p => ("textDocument/hover", p))),
        (6, Gen.Select(PositionParams, Int(3), Gen.OneOf("@", "[", "x", ""), (p, kind, ch) =>
            ("textDocument/completion", (Json)Json.O([.. ((Json.Obj)p).Members.Select(m => (m.Key, m.Value)), ("context", Json.O(("triggerKind", kind), ("triggerCharacter", new Json.Str(ch))))])))),
        (3, Gen.Select(Gen.OneOf("vaswani2017", "tian2021understanding", "nokey", ""), Gen.OneOf(FixtureFiles.Concat(ExtraFiles).ToArray()), Str(Text(NotePieces, 3)), (key, path, label) =>
            ("completionItem/resolve", (Json)Json.O(("label", label), ("data", Json.O(("key", new Json.Str(key)), ("path", new Json.Str(Path.Combine(_root, path))))))))),
        (4, PositionParams.Select(p => ("textDocument/definition", p))),
        (4, Gen.Select(PositionParams, Gen.Bool, (p, b) => ("textDocument/references", (Json)Json.O([.. ((Json.Obj)p).Members.Select(m => (m.Key, m.Value)), ("context", Json.O(("includeDeclaration", Json.Bool(b))))])))),
        (3, PositionParams.Select(p => ("textDocument/prepareRename", p))),
        (3, Gen.Select(PositionParams, Gen.Frequency((3, Gen.OneOf("vaswani2017x", "newkey", "a b", "", "@x", "{}", "vaswani2017")), (1, Text(NotePieces, 4))), (p, name) =>
            ("textDocument/rename", (Json)Json.O([.. ((Json.Obj)p).Members.Select(m => (m.Key, m.Value)), ("newName", new Json.Str(name))])))),
        (4, Gen.Select(TextDocument, Range, Diagnostic.Array[0, 3], (d, r, diags) =>
            ("textDocument/codeAction", (Json)Json.O(("textDocument", d), ("range", r), ("context", Json.O(("diagnostics", new Json.Arr(diags)), ("only", Json.A(new Json.Str("quickfix"))))))))),
        (3, TextDocument.Select(d => ("textDocument/documentSymbol", (Json)Json.O(("textDocument", d))))),
        (3, TextDocument.Select(d => ("textDocument/documentLink", (Json)Json.O(("textDocument", d))))),
        (2, Gen.Frequency((3, Gen.OneOf("", "att", "vaswani", "Tian 2021", "*", "[", "\uD800")), (1, Text(NotePieces, 4))).Select(q => ("workspace/symbol", (Json)Json.O(("query", new Json.Str(q)))))),
        (3, Gen.Select(TextDocument, Range, (d, r) => ("textDocument/inlayHint", (Json)Json.O(("textDocument", d), ("range", r))))),
        (2, Gen.Select(Position, ResolveData, Str(Text(NotePieces, 3)), (p, data, label) =>
            ("inlayHint/resolve", (Json)Json.O(("position", p), ("label", label), ("data", data))))),
        (2, TextDocument.Select(d => ("textDocument/codeLens", (Json)Json.O(("textDocument", d))))),
        (2, Gen.Select(Range, ResolveData, (r, data) => ("codeLens/resolve", (Json)Json.O(("range", r), ("data", data))))),
        (2, TextDocument.Select(d => ("textDocument/semanticTokens/full", (Json)Json.O(("textDocument", d))))),
        (2, Gen.Select(TextDocument, Range, (d, r) => ("textDocument/semanticTokens/range", (Json)Json.O(("textDocument", d), ("range", r))))),
        (2, Gen.Select(Gen.Frequency((4, Gen.Const("paperNotes.open")), (1, Gen.OneOf("paperNotes.showReferences", "", "x"))), Gen.Frequency((3, Uri), (1, Gen.OneOf("file:///tmp/x.pdf", "https://arxiv.org/pdf/1706.03762"))).Array[0, 2],
            (command, args) => ("workspace/executeCommand", (Json)Json.O(("command", new Json.Str(command)), ("arguments", new Json.Arr(args.Select(a => (Json)new Json.Str(a)).ToList())))))),
        (2, Gen.Select(Gen.OneOf("paperNotes/nope", "textDocument/formatting", "textDocument/foldingRange", "$/unknown", "", "textDocument/hover ", "TEXTDOCUMENT/HOVER", "rpc.discover"), PositionParams,
            (m, p) => (m, p))));

    /// <summary>What the server puts in a hint's or lens's data (a note and a key), sometimes for files it does not know.</summary>
    private Gen<Json> ResolveData => Gen.Select(Gen.OneOf("vaswani2017", "tian2021understanding", "nokey", ""), Gen.OneOf(FixtureFiles.Concat(ExtraFiles).Append("../../etc/x.md").ToArray()),
        (key, path) => (Json)Json.O(("path", new Json.Str(Path.GetFullPath(Path.Combine(_root, path)))), ("key", new Json.Str(key))));

    private Gen<FuzzStep.Request> Request => TypedRequest.SelectMany(r => Mutated(r.Params).Select(p => new FuzzStep.Request(r.Method, p)));

    private Gen<FuzzStep> DidOpen => Gen.Frequency((5, RelativePath.Select(FileUri)), (1, Gen.OneOf(OddUris.ToArray()))).SelectMany(uri =>
        Gen.Select(Gen.OneOf("markdown", "bibtex", "json", "yaml", "plaintext", ""), Int(10), TextFor(uri), (language, version, text) =>
            (FuzzStep)new FuzzStep.Notify("textDocument/didOpen", Json.O(("textDocument", Json.O(("uri", new Json.Str(uri)), ("languageId", new Json.Str(language)), ("version", version), ("text", new Json.Str(text))))))));

    private Gen<Json> Change => Gen.Frequency(
        (8, Gen.Select(Range, Str(Text(NotePieces, 5)), (r, t) => (Json)Json.O(("range", r), ("text", t)))),
        (1, Str(NoteText).Select(t => (Json)Json.O(("text", t)))),
        (1, Str(Text(NotePieces, 5)).Select(t => (Json)Json.O(("range", Json.Null), ("text", t)))));

    private Gen<FuzzStep> DidChange => Gen.Select(Uri, Int(50), Change.Array[0, 4], (uri, version, changes) =>
        (FuzzStep)new FuzzStep.Notify("textDocument/didChange", Json.O(("textDocument", Json.O(("uri", new Json.Str(uri)), ("version", version))), ("contentChanges", new Json.Arr(changes)))));

    private Gen<Json> FileEvents => Gen.Select(Gen.Frequency((6, Uri), (1, Gen.Const(FileUri(".papernotes.yaml")))), Gen.Frequency((5, Gen.Int[1, 3]), (1, Gen.OneOf(0, -1, 99))),
        (u, type) => (Json)Json.O(("uri", new Json.Str(u)), ("type", Json.Num(type)))).Array[0, 5].Select(events => (Json)new Json.Arr(events));

    private static Gen<Json> CancelId => Gen.Frequency(
        (4, Gen.Int[-5, 100_000].Select(Json.Num)),
        (1, Gen.OneOf<Json>(new Json.Str("x"), new Json.Str(""), Json.Null, Json.O(), new Json.Lit("1.5"), new Json.Lit("1e999"), new Json.Str("\uD800"))));

    /// <summary>Notifications whose params must not be mutated: they could re-root the workspace or replace its globs.</summary>
    private static Gen<FuzzStep> Settings => Gen.OneOf<Json>(
            Json.O(("settings", Json.Null)), Json.O(("settings", Json.Num(5))), Json.O(("settings", Json.O(("paperNotes", Json.Num(5))))),
            Json.O(("settings", Json.O(("paperNotes", Json.O(("library", new Json.Str("x")), ("notes", Json.Null)))))),
            Json.O(("settings", Json.O(("paperNotes", Json.O(("library", Json.A(Json.Num(1), Json.Null, new Json.Str(""))), ("notes", Json.A())))))),
            Json.O(("settings", Json.O(("other", Json.O(("library", Json.A(new Json.Str("**/*.nothing")))))))), Json.O())
        .Select(p => (FuzzStep)new FuzzStep.Notify("workspace/didChangeConfiguration", p));

    private static Gen<FuzzStep> Folders => Gen.Select(Gen.OneOf(ForeignFolders).Array[0, 2], Gen.OneOf(ForeignFolders).Array[0, 2], (added, removed) =>
        (FuzzStep)new FuzzStep.Notify("workspace/didChangeWorkspaceFolders", Json.O(("event", Json.O(
            ("added", new Json.Arr(added.Select(u => (Json)Json.O(("uri", new Json.Str(u)), ("name", new Json.Str("f")))).ToList())),
            ("removed", new Json.Arr(removed.Select(u => (Json)Json.O(("uri", new Json.Str(u)), ("name", new Json.Str("f")))).ToList())))))));

    private Gen<FuzzStep> Notification => Gen.Frequency(
        (8, DidOpen),
        (10, DidChange),
        (3, Uri.Select(u => (FuzzStep)new FuzzStep.Notify("textDocument/didClose", Json.O(("textDocument", Json.O(("uri", new Json.Str(u)))))))),
        (1, Uri.Select(u => (FuzzStep)new FuzzStep.Notify("textDocument/didSave", Json.O(("textDocument", Json.O(("uri", new Json.Str(u)))), ("text", new Json.Str("x")))))),
        (4, FileEvents.Select(e => (FuzzStep)new FuzzStep.Notify("workspace/didChangeWatchedFiles", Json.O(("changes", e))))),
        (3, CancelId.Select(id => (FuzzStep)new FuzzStep.Notify("$/cancelRequest", Json.O(("id", id))))),
        (1, Gen.OneOf("paperNotes/nope", "$/setTrace", "$/progress", "textDocument/didChange ", "initialized", "textDocument/willSave", "").Select(m =>
            (FuzzStep)new FuzzStep.Notify(m, Json.O(("value", new Json.Str("verbose")), ("token", Json.Num(1))))))).SelectMany(step =>
        step is FuzzStep.Notify n && n.Params is { } p ? Mutated(p).Select(m => (FuzzStep)(n with { Params = m })) : Gen.Const(step));

    private Gen<FuzzStep> Burst => Gen.Select(Request, Gen.Bool).Array[2, 6].Select(rs =>
        (FuzzStep)new FuzzStep.Burst(rs.Select(r => r.Item1 with { Cancel = r.Item2 }).ToList()));

    private Gen<FuzzStep> Files => Gen.Frequency(
        (5, RelativePath.SelectMany(path => Gen.Select(Bytes(path), Gen.Frequency((4, Gen.Const(Announce.Watched)), (2, Gen.Const(Announce.Open)), (1, Gen.Const(Announce.Silent))),
            Gen.OneOf("markdown", "bibtex", "json", "plaintext"), (bytes, how, language) => (FuzzStep)new FuzzStep.WriteFile(path, bytes, how, language)))),
        (1, Gen.Select(Gen.OneOf(ExtraFiles), Gen.OneOf(Announce.Watched, Announce.Silent), (path, how) => (FuzzStep)new FuzzStep.DeleteFile(path, how))));

    private Gen<FuzzStep> BuildSteps() => Gen.Frequency(
        (40, Request.Select(r => (FuzzStep)r)),
        (4, Request.Select(r => (FuzzStep)(r with { Cancel = true }))),
        (2, Burst),
        (30, Notification),
        (1, Settings),
        (1, Folders),
        (7, Files),
        (4, Envelope),
        (3, Frame));

    // ---- raw traffic ---------------------------------------------------------------------------------

    private Gen<FuzzStep> Envelope => Gen.Select(Gen.Int[0, 1], PositionParams, (awaited, p) => (awaited, p.Render())).SelectMany(t => t.awaited == 1
        ? Gen.OneOf(AwaitedEnvelopes(t.Item2)).Select(text => (FuzzStep)new FuzzStep.Envelope(text, true))
        : Gen.OneOf(OtherEnvelopes(t.Item2)).Select(text => (FuzzStep)new FuzzStep.Envelope(text, false)));

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>Requests with a plain numeric id: the server must answer each one, with that id.</summary>
    private static string[] AwaitedEnvelopes(string p) =>
    [
        """{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover"}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover","params":[]}""",
        $$"""{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover","params":[{{p}}]}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover","params":[1,2,3]}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"workspace/symbol","params":{"query":""},"params":{"query":"att"}}""",
        """{"id":$ID,"method":"workspace/symbol","params":{"query":""}}""",
        """{"jsonrpc":"1.0","id":$ID,"method":"workspace/symbol","params":{"query":""}}""",
        """{"jsonrpc":2,"id":$ID,"method":"workspace/symbol","params":{"query":""}}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"$/cancelRequest","params":{"id":$ID}}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"rpc.foo"}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"\uD800"}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover\u0000"}""",
        "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"method\":\"" + new string('m', 100_000) + "\"}",
        """{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover","params":{"textDocument":{"uri":"\uD800\uDC00\uDC00"},"position":{"line":0,"character":0}}}""",
        """{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover","params":{"a":1e999,"b":-0,"c":1E+2}}""",
        $$"""{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover","params":{{p}},"result":1}""",
        " { \"jsonrpc\" : \"2.0\" ,\t\r\n \"id\" : $ID , \"method\" : \"textDocument/hover\" , \"params\" : " + p + " } ",
        "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"method\":\"textDocument/hover\",\"params\":" + p + ",\"extra\":{\"deep\":" + Deep(60) + "}}",
        "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"method\":\"textDocument/hover\",\"params\":" + Deep(70) + "}",
        "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":" + Deep(70) + "}}",
        """{"jsonrpc":"2.0","id":$ID,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.md"},"position":{"line":1,"character":2}},"id":$ID}""",
    ];

    /// <summary>Messages with odd ids, fake responses, non-objects: the guard or StreamJsonRpc must shrug them off.</summary>
    private static string[] OtherEnvelopes(string p) =>
    [
        .. new[] { "-1", "1.5", "1e300", "99999999999999999999", "2147483648", "null", "true", "{}", "[]", "\"\"", "\"abc\"", "\"\\uD800\"", "0", "-0" }
            .Select(id => $$"""{"jsonrpc":"2.0","id":{{id}},"method":"textDocument/hover","params":{{p}}}"""),
        """{"jsonrpc":"2.0","id":987654,"result":null}""",
        """{"jsonrpc":"2.0","id":987655,"error":{"code":1,"message":"x"}}""",
        """{"jsonrpc":"2.0","id":987656,"error":"boom"}""",
        """{"jsonrpc":"2.0","id":987657,"error":{"code":"x"}}""",
        """{"jsonrpc":"2.0","id":987658,"error":null}""",
        """{"jsonrpc":"2.0","id":987659,"result":1,"error":{"code":1,"message":"x"}}""",
        """{"jsonrpc":"2.0","id":"x","result":{}}""",
        """{"jsonrpc":"2.0","id":"\uDC00","result":{}}""",
        """{"jsonrpc":"2.0","id":987660,"method":5}""",
        """{"jsonrpc":"2.0","id":987661,"method":null}""",
        """{"jsonrpc":"2.0","method":{}}""",
        """{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"x"}""",
        """{"jsonrpc":"2.0","method":"textDocument/didOpen","params":5}""",
        """{"jsonrpc":"2.0","method":"\uD800","params":{}}""",
        """{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\uDFFF","languageId":"markdown","version":1,"text":"\uD800"}}}""",
        """[{"jsonrpc":"2.0","id":987662,"method":"workspace/symbol","params":{"query":""}}]""",
        "\uFEFF" + """{"jsonrpc":"2.0","method":"paperNotes/nope"}""",
        "{\"jsonrpc\":\"2.0\",\"id\":987663,\"method\":\"textDocument/hover\",\"params\":" + Deep(100_000) + "}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"a\":\"\u0000\"}}",
    ];

    private static Gen<FuzzStep> Frame => Gen.Frequency(
        (2, Gen.OneOf(
            "X-Junk: 1\r\n\r\n", "Content-Length: abc\r\n\r\n", "Content-Length: -1\r\n\r\n", "Content-Length: 99999999999\r\n\r\n",
            "Content-Length: 2000000000\r\n\r\n", "Content-Type: x\r\n\r\n", "\r\n\r\n\r\n", "Cöntent-Length: 1\r\n\r\n", ": \r\n\r\n",
            "Content-Length 5\r\n\r\n", "Content-Length: 5 5\r\n\r\n", new string('H', 3_000_000) + "\r\n\r\n").Select(h => (FuzzStep)new FuzzStep.Frame(h, []))),
        (3, Gen.Select(BadBody, Gen.Int[0, 4], (body, style) => (FuzzStep)new FuzzStep.Frame(style switch
        {
            0 => $"Content-Length: {body.Length}\r\n\r\n",
            1 => $"content-length: {body.Length}\n\n",
            2 => $"Content-Length:{body.Length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
            3 => $"\r\n\r\nContent-Length: 7\r\nContent-Length: {body.Length}\r\n\r\n",
            _ => $"X-Before: 1\r\nContent-Length:   {body.Length}   \r\nX-After: 2\r\n\r\n",
        }, body))),
        // A body shorter than its frame's content: the rest ends with a blank line, so it is one junk header block.
        (1, Gen.OneOf("x\r\n\r\n", "X-Junk: 1\r\n\r\n", "\r\n\r\n").Select(rest =>
        {
            var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"paperNotes/nope"}""");
            return (FuzzStep)new FuzzStep.Frame($"Content-Length: {body.Length}\r\n\r\n", [.. body, .. Encoding.UTF8.GetBytes(rest)]);
        })));

    private static Gen<byte[]> BadBody => Gen.Frequency(
        (2, Gen.Byte.Array[0, 300]),
        (3, Gen.OneOf("{", "}", "[1,2]", "null", "\"str\"", "{}", "{\"jsonrpc\":\"2.0\"}", "1", "tru", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "\0", "",
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"s\":\"\\uZZZZ\"}}", "{\"method\":\"x\"} trailing", "{\"method\":\"x\"}{\"method\":\"y\"}",
            new string('[', 5000), new string('{', 5000)).Select(s => Encoding.UTF8.GetBytes(s))),
        (1, Gen.Const(new byte[] { (byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}' })),
        (1, Gen.Int[1, 1_000_000].Select(n => Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"paperNotes/nope\",\"params\":{\"s\":\"" + new string('x', n) + "\"}}"))));
}
