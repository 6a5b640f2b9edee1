using BenchmarkDotNet.Attributes;
using PaperNotes.Core.Library;
using PaperNotes.Core.Notes;
using PaperNotes.Core.Search;

namespace PaperNotes.Bench;

/// <summary>Micro-benchmarks: search over 100,000 generated papers and parsing a 5,000-line note.</summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private SearchIndex _index = null!;
    private string _longNote = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        var papers = Enumerable.Range(0, 100_000).Select(i => new Paper
        {
            Key = $"{WorkspaceGenerator.Word(random)}{1990 + i % 36}{i}",
            Title = string.Join(' ', Enumerable.Range(0, 8).Select(_ => WorkspaceGenerator.Word(random))),
            Authors = [new PersonName(WorkspaceGenerator.Word(random), "A.")],
            Issued = new PaperDate(1990 + i % 36),
            Abstract = string.Join(' ', Enumerable.Range(0, 50).Select(_ => WorkspaceGenerator.Word(random))),
        }).ToList();
        _index = new SearchIndex(papers);
        _longNote = WorkspaceGenerator.LongNote(papers.Select(p => p.Key).ToList(), 5000);
    }

    [Benchmark] public int Search_con() => _index.Search("con", 50).Count;
    [Benchmark] public int Search_transfor() => _index.Search("transfor", 50).Count;
    [Benchmark] public int Parse_5000_line_note() => NoteParser.Parse("/bench/long.md", _longNote).Citations.Count;
}
