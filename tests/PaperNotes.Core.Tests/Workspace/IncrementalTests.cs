using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Workspace;

/// <summary>
/// STYLE §4 invariant: a snapshot reached by any sequence of With/Without edits has the same indices and
/// diagnostics as one built from scratch from the final files (marksman's paranoid mode, as a test).
/// </summary>
public class IncrementalTests
{
    // Each file has a few versions; null means "deleted". Keys overlap across files on purpose (duplicates,
    // citekeys of known and unknown keys, local references shadowing library keys, links that break and heal).
    private static readonly Dictionary<string, string?[]> Versions = new()
    {
        ["lib/a.bib"] =
        [
            "@article{alpha, title={Alpha}}\n@article{beta, title={Beta}}\n",
            "@article{alpha, title={Alpha two}}\n@article{gamma, title={Gamma}}\n@article{alpha, title={Again}}\n",
            "@article{broken, title={Unclosed\n@article{beta, title={Beta}}\n",
            null,
        ],
        ["lib/b.bib"] =
        [
            "@article{beta, title={Beta in b}}\n",
            "@book{delta, title={Delta}}\n",
            null,
        ],
        ["lib/c.csl.yaml"] =
        [
            "references:\n- id: gamma\n  title: Gamma CSL\n- id: epsilon\n  title: Eps\n",
            "references:\n- id: alpha\n  title: Alpha CSL\n",
            null,
        ],
        ["notes/a.md"] =
        [
            "# A\n[@alpha] and @beta, [[b]] [[gamma]]\n",
            "---\nreferences:\n- id: beta\n  title: Local beta\n---\n[@beta; @alpa] [[sub/c]]\n",
            "---\nbibliography: ../lib/b.bib\n---\n@delta [[missing]]\n",
            null,
        ],
        ["notes/b.md"] =
        [
            "# B\n@gamma @gamma [[a]]\n",
            "# B2\n[-@epsilon] [[alpha]]\n",
            null,
        ],
        ["notes/papers/p.md"] =
        [
            "---\ncitekey: alpha\n---\n# Alpha note\n[@alpha]\n",
            "---\ncitekey: gamma\n---\n[[b]]\n",
            "---\ncitekey: unknownkey\n---\n",
            null,
        ],
        ["notes/sub/c.md"] =
        [
            "See [[../a]] and [[B]] and @beta.\n",
            "# C\n@{alpha} [[p]]\n",
            null,
        ],
        ["notes/sub/B.md"] =
        [
            "Same name as b, other case.\n",
            null,
        ],
    };

    private static readonly string[] Keys =
        ["alpha", "alpa", "beta", "gamma", "delta", "epsilon", "broken", "unknownkey", "nokey"];

    private static readonly string[] Names = ["a", "b", "B", "c", "p", "missing", "alpha", "gamma", "sub/c", "../a"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_edits_give_the_same_snapshot_as_a_fresh_load(int seed)
    {
        var random = new Random(seed);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var snapshot = TestWorkspace.Build(files);
        var paths = Versions.Keys.ToArray();
        for (int step = 0; step < 60; step++)
        {
            var relative = paths[random.Next(paths.Length)];
            var path = TestWorkspace.Abs(relative);
            var versions = Versions[relative];
            var text = versions[random.Next(versions.Length)];
            bool isLibrary = LibraryParser.KindOf(path) is not null;
            if (text is null)
            {
                files.Remove(path);
                snapshot = isLibrary ? snapshot.WithoutLibrary(path) : snapshot.WithoutNote(path);
            }
            else
            {
                files[path] = text;
                snapshot = isLibrary
                    ? snapshot.WithLibrary(LibraryParser.Parse(path, text, LibraryParser.KindOf(path)!.Value))
                    : snapshot.WithNote(NoteParser.Parse(path, text));
            }
            var expected = Dump(TestWorkspace.Build(files), files);
            var actual = Dump(snapshot, files);
            Assert.True(expected == actual, $"seed {seed}, step {step} ({relative} {(text is null ? "deleted" : "changed")})\n--- from scratch\n{expected}\n--- incremental\n{actual}");
        }
    }

    /// <summary>Every index a feature reads, as text.</summary>
    private static string Dump(Snapshot snapshot, IReadOnlyDictionary<string, string> files)
    {
        var ws = new TestWorkspace { Snapshot = snapshot, Texts = files, FirstPath = "/w" };
        var sb = new StringBuilder();
        sb.AppendLine("notes: " + string.Join(" ", snapshot.Notes.Notes.Keys));
        sb.AppendLine("libraries: " + string.Join(" ", snapshot.Libraries.Paths));
        sb.AppendLine("papers: " + string.Join(" ", snapshot.Libraries.Papers.Select(p => $"{p.Key}@{ws.Relative(p.SourcePath)}")));
        sb.AppendLine("keys: " + string.Join(" ", snapshot.Libraries.Keys.Order(StringComparer.Ordinal)));
        sb.AppendLine("paper-note keys: " + string.Join(" ", snapshot.Notes.PaperNoteKeys.Order(StringComparer.Ordinal)));
        sb.AppendLine("duplicates: " + string.Join(" ", snapshot.Libraries.Duplicates.OrderBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => $"{d.Key}={string.Join(",", d.Value.Select(p => ws.Location(p.SourcePath, p.KeySpan)))}")));
        foreach (var key in Keys)
        {
            var found = snapshot.Libraries.Find(key);
            sb.AppendLine($"key {key}: contains={snapshot.Libraries.Contains(key)} find={(found is null ? "-" : ws.Location(found.SourcePath, found.KeySpan))}"
                + $" defs={snapshot.Libraries.DefinitionsOf(key).Count} citers=[{string.Join(" ", snapshot.Notes.CitersOf(key))}]"
                + $" paper-note={snapshot.Notes.PaperNoteOf(key)?.Path ?? "-"}"
                + $" suggest=[{string.Join(" ", snapshot.Libraries.Suggester.Suggest(key))}]"
                + $" search=[{string.Join(" ", snapshot.Libraries.Search.Search(key, 10).Select(h => h.Paper.Key))}]");
        }
        foreach (var name in Names)
            sb.AppendLine($"named {name}: [{string.Join(" ", snapshot.Notes.NotesNamed(name))}]");
        foreach (var note in snapshot.Notes.Notes.Values)
            foreach (var name in Names)
                sb.AppendLine($"link {ws.Relative(note.Path)} -> {name}: {snapshot.ResolveWikiLink(note, name)?.Path ?? "-"}");
        sb.AppendLine("unloaded bibliographies: " + string.Join(" ", snapshot.UnloadedBibliographies().Order(StringComparer.Ordinal)));
        sb.AppendLine("diagnostics:");
        sb.AppendLine(ws.RenderDiagnostics());
        return sb.ToString();
    }
}
