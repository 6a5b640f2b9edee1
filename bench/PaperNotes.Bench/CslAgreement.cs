using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;

namespace PaperNotes.Bench;

/// <summary>
/// bench csl-agreement PANDOC_DIR [FIXTURES_DIR] [--show VARIABLE]: compares our CSL mapping of every BibTeX file
/// with the CSL-JSON pandoc made of it (scripts/pandoc-csl-outputs.sh writes PANDOC_DIR/&lt;relative path&gt;.pandoc.json).
/// Prints per-variable agreement (entries where pandoc has the variable and we give the same value) and the share
/// of entries identical on every variable.
/// </summary>
public static class CslAgreement
{
    public static int Run(string[] args)
    {
        var rest = args.Skip(1).Where(a => !a.StartsWith("--")).ToList();
        if (rest.Count < 1) { Console.Error.WriteLine("usage: bench csl-agreement PANDOC_DIR [FIXTURES_DIR] [--show VARIABLE]"); return 2; }
        var pandocDir = rest[0];
        var fixtures = rest.Count > 1 ? rest[1] : Path.Combine(Program.RepoRoot(), "..", "shared", "fixtures");
        int showAt = Array.IndexOf(args, "--show");
        var show = showAt >= 0 && showAt + 1 < args.Length ? args[showAt + 1] : null;
        int limitAt = Array.IndexOf(args, "--limit");
        int limit = limitAt >= 0 && limitAt + 1 < args.Length && int.TryParse(args[limitAt + 1], out var l) ? l : 40;
        var perVar = new SortedDictionary<string, (int Total, int Same)>(StringComparer.Ordinal);
        int notUtf8Files = 0, notUtf8Entries = 0;
        int entries = 0, identical = 0, missing = 0, files = 0, extraEntries = 0, droppedOnly = 0;
        var dropped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var extra = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int shown = 0;
        foreach (var json in Directory.EnumerateFiles(pandocDir, "*.pandoc.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(pandocDir, json)[..^".pandoc.json".Length];
            var bib = Path.Combine(fixtures, relative);
            if (!File.Exists(bib)) continue;
            JsonArray? expected;
            try { expected = JsonNode.Parse(File.ReadAllText(json)) as JsonArray; }
            catch (JsonException) { continue; }
            if (expected is null) continue;
            var bytes = File.ReadAllBytes(bib);
            string text;
            try { text = new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF'); }
            catch (DecoderFallbackException)
            {
                // pandoc reads such a file as Latin-1, the server as UTF-8 (invalid bytes become U+FFFD): not comparable
                notUtf8Files++;
                notUtf8Entries += expected.Count;
                continue;
            }
            files++;
            var ours = CslView.Items(bib, text, LibraryKind.BibTeX);
            var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var item in JsonNode.Parse(CslJson.Write(ours))!.AsArray())
                if (item is JsonObject o && o["id"]?.GetValue<string>() is { } id) byId.TryAdd(id, o);
            var seenIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in expected)
            {
                if (node is not JsonObject theirs || theirs["id"]?.GetValue<string>() is not { } id || !seenIds.Add(id)) continue;
                entries++;
                if (!byId.TryGetValue(id, out var mine)) { missing++; continue; }
                bool same = true, onlyDropped = true;
                foreach (var (name, value) in theirs)
                {
                    if (name == "id") continue;
                    var eq = JsonNode.DeepEquals(value, mine[name]);
                    if (!eq)
                    {
                        // pandoc drops a command it does not know (a macro from @preamble, a logo) and leaves the
                        // spaces around it: a leading/trailing or double space, or an empty value
                        var written = value?.ToJsonString() ?? "";
                        bool droppedCommand = Accents(written) == Accents(mine[name]?.ToJsonString() ?? "")
                            || written.Contains("  ") || written.StartsWith("\" ") || written.Contains(" \"") || written == "\"\""
                            || value is JsonValue v && v.TryGetValue<string>(out var theirText) && mine[name] is JsonValue m
                               && m.TryGetValue<string>(out var ourText) && LostText(theirText, ourText);
                        if (droppedCommand) dropped[name] = dropped.GetValueOrDefault(name) + 1;
                        else onlyDropped = false;
                    }
                    var (t, s) = perVar.GetValueOrDefault(name);
                    perVar[name] = (t + 1, s + (eq ? 1 : 0));
                    if (!eq)
                    {
                        same = false;
                        if (show == name && shown++ < limit)
                            Console.WriteLine($"{relative} [{id}] {name}\n  pandoc: {value?.ToJsonString()}\n  ours:   {mine[name]?.ToJsonString()}");
                    }
                }
                bool hasExtra = false;
                foreach (var (name, value) in mine)
                    if (name != "id" && !theirs.ContainsKey(name))
                    {
                        extra[name] = extra.GetValueOrDefault(name) + 1;
                        hasExtra = true;
                        if (show == "+" + name && shown++ < limit) Console.WriteLine($"{relative} [{id}] extra {name}: {value?.ToJsonString()}");
                    }
                if (hasExtra) extraEntries++;
                if (same && !hasExtra) identical++;
                else if (!same && !hasExtra && onlyDropped) droppedOnly++;
            }
        }
        // pandoc's text is ours with some text left out (the text of a command pandoc dropped), case aside
        static bool LostText(string theirs, string ours)
        {
            var a = new string(theirs.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
            var b = new string(ours.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
            if (a.Length >= b.Length) return false;
            int i = 0;
            foreach (var c in b)
                if (i < a.Length && a[i] == c) i++;
            return i == a.Length;
        }
        // pandoc writes \'{\i} as a dotless ı plus a combining accent; we write the composed letter (í)
        static string Accents(string json) => json.Length == 0 ? "" : (JsonNode.Parse(json)?.ToJsonString() ?? "")
            .Replace(@"\u0131\u0301", @"\u00ED").Replace(@"\u0131\u0300", @"\u00EC")
            .Replace(@"\u0131\u0302", @"\u00EE").Replace(@"\u0131\u0308", @"\u00EF");
        static string Pct(int a, int b) => b == 0 ? "-" : (100.0 * a / b).ToString("F2", CultureInfo.InvariantCulture) + "%";
        Console.WriteLine($"files {files}, entries {entries}, missing in ours {missing} (left out: {notUtf8Files} files, {notUtf8Entries} entries not in UTF-8)");
        Console.WriteLine($"identical on every variable: {identical}/{entries} = {Pct(identical, entries)} (entries with a variable pandoc lacks: {extraEntries})");
        Console.WriteLine($"identical but for deliberate differences (pandoc dropped an unknown command; accents on dotless i): {identical + droppedOnly}/{entries} = {Pct(identical + droppedOnly, entries)}");
        Console.WriteLine("| variable | entries with it | same | agreement | same but for deliberate differences | agreement |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, (t, s)) in perVar.OrderByDescending(p => p.Value.Total))
        {
            int d = s + dropped.GetValueOrDefault(name);
            Console.WriteLine($"| {name} | {t} | {s} | {Pct(s, t)} | {d} | {Pct(d, t)} |");
        }
        if (extra.Count > 0) Console.WriteLine("variables only we emit: " + string.Join(", ", extra.Select(e => $"{e.Key} ({e.Value})")));
        return 0;
    }
}
