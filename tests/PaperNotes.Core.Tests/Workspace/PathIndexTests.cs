using PaperNotes.Core.Workspace;

namespace PaperNotes.Core.Tests.Workspace;

/// <summary>A path index built whole and then edited answers as a plain model of sorted sets does: paths in path order,
/// keys without paths gone, and every earlier version unchanged by the edits after it.</summary>
public class PathIndexTests
{
    [Fact]
    public void Random_edits_of_a_built_index_answer_as_a_model_of_sorted_sets()
    {
        var random = new Random(3);
        for (int round = 0; round < 50; round++)
        {
            var comparer = round % 2 == 0 ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
            var keys = Enumerable.Range(0, 12).Select(i => (i % 3 == 0 ? "Key" : "key") + (i / 2)).ToArray();
            var paths = Enumerable.Range(0, 15).Select(i => $"/w/n{random.Next(30):D2}.md").Distinct().ToArray();
            var model = new Dictionary<string, SortedSet<string>>(comparer);
            var lists = new Dictionary<string, List<string>>(comparer);
            foreach (var path in paths.Order(StringComparer.Ordinal))
                foreach (var key in keys.Where(_ => random.Next(4) == 0))
                {
                    if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
                    if (list.Count == 0 || list[^1] != path) list.Add(path);
                    (model.TryGetValue(key, out var set) ? set : model[key] = new SortedSet<string>(StringComparer.Ordinal)).Add(path);
                }
            var index = PathIndex.Create(lists);
            var versions = new List<(PathIndex Index, Dictionary<string, string[]> Expected)>();
            for (int edit = 0; edit < 40; edit++)
            {
                versions.Add((index, Snapshot(model, comparer)));
                string key = keys[random.Next(keys.Length)], path = paths[random.Next(paths.Length)];
                if (!model.TryGetValue(key, out var set)) model[key] = set = new SortedSet<string>(StringComparer.Ordinal);
                if (random.Next(2) == 0) { index = index.Add(key, path); set.Add(path); }
                else { index = index.Remove(key, path); set.Remove(path); }
            }
            versions.Add((index, Snapshot(model, comparer)));
            foreach (var (version, expected) in versions)
            {
                Assert.Equal(expected.Keys.Order(comparer), version.Keys.Order(comparer), comparer);
                foreach (var key in keys.Append("absent")) Assert.Equal(expected.GetValueOrDefault(key) ?? [], version[key]);
            }
        }
    }

    private static Dictionary<string, string[]> Snapshot(Dictionary<string, SortedSet<string>> model, StringComparer comparer) =>
        model.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value.ToArray(), comparer);
}
