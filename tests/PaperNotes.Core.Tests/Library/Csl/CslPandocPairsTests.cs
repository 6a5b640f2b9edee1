using System.Globalization;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.Csl;
using PaperNotes.Core.Tests.Library.BibTeX;
using YamlDotNet.RepresentationModel;

namespace PaperNotes.Core.Tests.Library.Csl;

/// <summary>Our CSL view of pandoc's BibLaTeX test inputs against the CSL-YAML pandoc produced, variable by
/// variable (every variable pandoc wrote). Pandoc's YAML is Markdown, so text is compared normalised (markup,
/// quotes, dashes, case); dates as EDTF; names part by part.</summary>
public class CslPandocPairsTests
{
    /// <summary>Pinned share of variables that agree (all entries); raise it when the mapping improves.</summary>
    private const double MinimumVariableAgreement = 0.99; // 1533/1546 variables when pinned

    [Fact]
    public void Csl_view_of_pandoc_pairs_matches_pandocs_csl_variable_by_variable()
    {
        var dir = BibTestSupport.Fixtures("pandoc-citeproc/pairs");
        int variables = 0, same = 0, entries = 0;
        var mismatches = new List<string>();
        foreach (var input in Directory.GetFiles(dir, "*.input.biblatex").OrderBy(f => f, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(input)[..^".input.biblatex".Length];
            var expectedPath = Path.Combine(dir, name + ".expected.yaml.md");
            if (!File.Exists(expectedPath)) continue;
            var items = CslView.Items(input, BibTestSupport.ReadUtf8(input), LibraryKind.BibTeX)
                .GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First());
            foreach (var reference in PandocPairsTests.ExpectedReferences(BibTestSupport.ReadUtf8(expectedPath)))
            {
                entries++;
                var id = PandocPairsTests.Scalar(reference, "id") ?? "";
                items.TryGetValue(id, out var item);
                foreach (var (keyNode, value) in reference.Children)
                {
                    var key = ((YamlScalarNode)keyNode).Value!;
                    if (key == "id") continue;
                    variables++;
                    var expected = Render(value);
                    // this pandoc writes URL, DOI, ISBN, ISSN in lower case in YAML
                    var actual = item is null ? "(no item)" : Render(item[key] ?? item[key.ToUpperInvariant()]);
                    if (expected == actual) same++;
                    else mismatches.Add($"{name} [{id}] {key}: '{actual}' != '{expected}'");
                }
            }
        }
        double rate = variables == 0 ? 0 : (double)same / variables;
        var report = $"pandoc pairs, CSL view: {same}/{variables} variables = {rate.ToString("P1", CultureInfo.InvariantCulture)} over {entries} entries\n"
            + string.Join("\n", mismatches);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "papernotes-csl-pandoc-pairs.txt"), report);
        Assert.True(entries > 100 && rate >= MinimumVariableAgreement, report);
    }

    /// <summary>A YAML value (pandoc's) as comparable text.</summary>
    private static string Render(YamlNode node) => node switch
    {
        YamlScalarNode s => PandocPairsTests.Norm(s.Value ?? ""),
        YamlSequenceNode seq => "[" + string.Join("; ", seq.Children.Select(Render)) + "]",
        YamlMappingNode m => "{" + string.Join(", ", m.Children.OrderBy(c => ((YamlScalarNode)c.Key).Value, StringComparer.Ordinal)
            .Select(c => ((YamlScalarNode)c.Key).Value + "=" + Render(c.Value))) + "}",
        _ => "",
    };

    /// <summary>Our value as the same text: markup stripped, dates as EDTF.</summary>
    private static string Render(CslValue? value) => value switch
    {
        null => "(absent)",
        CslText t => PandocPairsTests.Norm(CslItemMapper.StripMarkup(t.Value)),
        CslNumber n => PandocPairsTests.Norm(n.Value),
        CslNames names => "[" + string.Join("; ", names.Names.Select(n => "{" + string.Join(", ",
            new (string Key, string? Value)[]
            {
                ("dropping-particle", n.DroppingParticle), ("family", n.Family), ("given", n.Given), ("literal", n.Literal),
                ("non-dropping-particle", n.NonDroppingParticle), ("suffix", n.Suffix),
            }.Where(p => p.Value is not null).Select(p => p.Key + "=" + PandocPairsTests.Norm(p.Value!))) + "}")) + "]",
        CslDate d => PandocPairsTests.Norm(d.DateParts.Count == 0 ? d.Literal ?? "" : string.Join("/", d.DateParts.Select(p =>
            p.Count == 0 || p[0] == 0 && p.Count == 1 ? "" : string.Join("-", p.Select((x, i) => i == 0
                // EDTF counts 1 BC as year 0; CSL as -1
                ? (x < 0 ? x + 1 : x).ToString("0000", CultureInfo.InvariantCulture) : x.ToString("00", CultureInfo.InvariantCulture)))))),
        _ => value.ToString(),
    };
}
