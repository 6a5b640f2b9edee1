using System.Text;
using PaperNotes.Core.Library;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;
using PaperNotes.Server.Workspace;

namespace PaperNotes.Server.Tests;

/// <summary>
/// The warm start (<see cref="LibraryCache"/>): a library read once is read from its image the next time, and is the
/// same library; an image that is stale (size, time or content), truncated, damaged or of another version is detected
/// and rebuilt, never trusted; two writers at once leave a whole image.
/// </summary>
public sealed class LibraryCacheTests : IDisposable
{
    private readonly TempWorkspace _ws = new();
    private readonly List<string> _log = [];
    private readonly LibraryCache _cache;
    private readonly string _path;

    public LibraryCacheTests()
    {
        _cache = new LibraryCache(_ws.Path(".cache"), log: line => { lock (_log) _log.Add(line); });
        _path = _ws.Path("refs.bib");
        File.WriteAllText(_path, DiskLoaderTests.Library);
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>The library read from disk with the cache: from the image when it is of this file, else streamed (and
    /// its image written).</summary>
    private LibraryFile Load() => DiskLoader.StreamBibTeX(_path, null, _cache, out _)!;

    private CacheLookup Lookup() => _cache.TryLoad(_path, new FileInfo(_path), null).Outcome;

    [Fact]
    public void A_library_read_again_comes_from_its_image_and_is_the_same_library()
    {
        Assert.Equal(CacheLookup.Missing, Lookup());
        var cold = Load();
        Assert.True(File.Exists(_cache.ImagePath(_path)));
        var (warm, outcome) = _cache.TryLoad(_path, new FileInfo(_path), null);
        Assert.Equal(CacheLookup.Hit, outcome);
        Assert.Equal(DiskLoaderTests.Describe(cold), DiskLoaderTests.Describe(warm!));
        Assert.Contains(_log, l => l.Contains("read from the library cache"));
        Assert.StartsWith(_ws.Path(".cache"), _cache.ImagePath(_path));
    }

    [Fact]
    public void A_changed_size_time_or_content_makes_the_image_stale_and_it_is_rebuilt()
    {
        Load();
        var time = File.GetLastWriteTimeUtc(_path);
        // Same size and time, other content: only the content hash tells.
        File.WriteAllText(_path, DiskLoaderTests.Library.Replace("after the break", "AFTER THE BREAK"));
        File.SetLastWriteTimeUtc(_path, time);
        Assert.Equal(CacheLookup.Stale, Lookup());
        Assert.Equal("AFTER THE BREAK", Load().Papers[^1].Fields["note"]);
        Assert.Equal(CacheLookup.Hit, Lookup());

        File.SetLastWriteTimeUtc(_path, time.AddSeconds(-5));
        Assert.Equal(CacheLookup.Stale, Lookup());
        Load();
        File.AppendAllText(_path, "@misc{d}\n");
        File.SetLastWriteTimeUtc(_path, time.AddSeconds(-5));
        Assert.Equal(CacheLookup.Stale, Lookup());
        Assert.Equal("d", Load().KeyAt(3));
        Assert.Equal(CacheLookup.Hit, Lookup());
    }

    [Fact]
    public void A_library_read_from_its_image_keeps_its_text_when_the_image_is_replaced_and_pruned()
    {
        var expected = DiskLoaderTests.Describe(Load());
        var (warm, outcome) = _cache.TryLoad(_path, new FileInfo(_path), null);
        Assert.Equal(CacheLookup.Hit, outcome);
        // Its compressed text is read from the image's file: another image renamed over it, then deleted, as
        // another server's write and prune do, leave the library read before as it was.
        File.AppendAllText(_path, "@misc{d, title = {New}}\n");
        Assert.Equal("d", Load().KeyAt(3));
        File.Delete(_cache.ImagePath(_path));
        GC.Collect();
        Assert.Equal(expected, DiskLoaderTests.Describe(warm!));
    }

    /// <summary>The compressed text a streamed library keeps (once compressed).</summary>
    private static CompressedText TextOf(LibraryFile library) => library.Source?.Text switch
    {
        CompressedText compressed => compressed,
        CompressingText compressing => compressing.WaitCompressed()!,
        var other => throw new InvalidOperationException($"not a compressed text: {other}"),
    };

    [Fact]
    public void Once_its_image_is_written_a_librarys_text_is_read_from_it_and_holds_no_block_in_memory()
    {
        if (OperatingSystem.IsWindows()) return; // there the text stays in memory: an open image could not be replaced
        var cold = Load();
        var expected = DiskLoaderTests.Describe(cold);
        Assert.All(TextOf(cold).Chunks, c => Assert.False(c.InMemory));
        Assert.Contains(_log, l => l.Contains("its text is read from the library cache's image"));
        var (warm, _) = _cache.TryLoad(_path, new FileInfo(_path), null);
        Assert.All(TextOf(warm!).Chunks, c => Assert.False(c.InMemory));
        // Another image renamed over it, then the path deleted: both libraries read the image each was moved to.
        File.AppendAllText(_path, "@misc{d, title = {New}}\n");
        Assert.Equal("d", Load().KeyAt(3));
        File.Delete(_cache.ImagePath(_path));
        GC.Collect();
        Assert.Equal(expected, DiskLoaderTests.Describe(cold));
        Assert.Equal(expected, DiskLoaderTests.Describe(warm!));
    }

    [Fact]
    public void A_truncated_image_is_detected_and_rebuilt()
    {
        Load();
        var image = File.ReadAllBytes(_cache.ImagePath(_path));
        for (int cut = 0; cut < image.Length; cut += 1 + cut / 40)
        {
            File.WriteAllBytes(_cache.ImagePath(_path), image[..cut]);
            Assert.Equal(CacheLookup.Corrupt, Lookup());
        }
        Load();
        Assert.Equal(CacheLookup.Hit, Lookup());
    }

    [Fact]
    public void A_damaged_image_is_never_trusted()
    {
        var expected = DiskLoaderTests.Describe(Load());
        var image = File.ReadAllBytes(_cache.ImagePath(_path));
        var random = new Random(5);
        for (int round = 0; round < 300; round++)
        {
            var damaged = (byte[])image.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(_cache.ImagePath(_path), damaged);
            var (file, outcome) = _cache.TryLoad(_path, new FileInfo(_path), null);
            Assert.Null(file);
            Assert.NotEqual(CacheLookup.Hit, outcome);
        }
        Assert.Equal(expected, DiskLoaderTests.Describe(Load()));
        Assert.Equal(CacheLookup.Hit, Lookup());
    }

    [Fact]
    public void An_image_of_another_version_of_papernotes_is_not_read()
    {
        Load();
        var image = File.ReadAllBytes(_cache.ImagePath(_path));
        // The version string follows the magic and the framing version: change its last character.
        int length = image[12];
        image[12 + length] ^= 1;
        File.WriteAllBytes(_cache.ImagePath(_path), image);
        Assert.Equal(CacheLookup.OtherVersion, Lookup());
        Load();
        Assert.Equal(CacheLookup.Hit, Lookup());
    }

    [Fact]
    public void Two_writers_at_once_leave_one_whole_image()
    {
        var library = Load();
        var stamp = new SourceStamp(new FileInfo(_path).Length, File.GetLastWriteTimeUtc(_path).Ticks, LibraryCache.HashOf(new FileInfo(_path)));
        var other = new LibraryCache(_ws.Path(".cache"));
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<CacheLookup>();
        Parallel.For(0, 40, i =>
        {
            if (i % 4 == 3) outcomes.Add(Lookup());
            else (i % 2 == 0 ? _cache : other).StoreAsync(_path, library, stamp).GetAwaiter().GetResult();
        });
        Assert.All(outcomes, o => Assert.Equal(CacheLookup.Hit, o));
        Assert.Equal(CacheLookup.Hit, Lookup());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_cache.ImagePath(_path))!, "*.tmp"));
    }

    [Fact]
    public void Without_a_cache_nothing_is_written()
    {
        Assert.NotNull(DiskLoader.StreamBibTeX(_path, null, null, out _));
        Assert.False(Directory.Exists(_ws.Path(".cache")));
    }

    [Fact]
    public void A_cache_that_cannot_be_written_is_told_and_the_library_still_loads()
    {
        File.WriteAllText(_ws.Path("blocked"), "a file where the cache's folder should be");
        var cache = new LibraryCache(_ws.Path("blocked"), log: line => { lock (_log) _log.Add(line); });
        var file = DiskLoader.StreamBibTeX(_path, null, cache, out var error);
        Assert.Null(error);
        Assert.Equal(3, file!.Papers.Count);
        Assert.Contains(_log, l => l.StartsWith("could not write the library cache"));
    }

    [Fact]
    public void A_first_reads_bytes_wait_in_files_of_the_cache_that_no_one_else_sees_and_that_go_when_let_go_of()
    {
        var folder = Path.Combine(_cache.Directory, "libraries");
        using (var slab = _cache.Spill(1 << 16))
        {
            Assert.False(slab.InMemory);
            var bytes = Encoding.UTF8.GetBytes(DiskLoaderTests.Library);
            slab.Write(100, bytes, bytes.Length);
            var back = new byte[bytes.Length + 2];
            slab.Read(100, back, 1, bytes.Length);
            Assert.Equal(bytes, back[1..^1]);
            if (!OperatingSystem.IsWindows()) Assert.Empty(Directory.GetFiles(folder)); // deleted once open
            Assert.Throws<ArgumentOutOfRangeException>(() => slab.Read((1 << 16) - 2, back, 0, 4));
        }
        Assert.Empty(Directory.GetFiles(folder));
        // A library read with its bytes there is the library read without.
        var expected = DiskLoaderTests.Describe(DiskLoader.StreamBibTeX(_path, null, null, out _)!);
        Assert.Equal(expected, DiskLoaderTests.Describe(Load()));
    }

    [Fact]
    public void A_first_read_whose_bytes_cannot_wait_in_the_cache_is_read_again_with_them_in_memory()
    {
        // The cache's folder is there, but its libraries folder is a file: no slab can be made, nor an image written.
        Directory.CreateDirectory(_ws.Path("half"));
        File.WriteAllText(_ws.Path("half/libraries"), "a file where the images' folder should be");
        var cache = new LibraryCache(_ws.Path("half"), log: line => { lock (_log) _log.Add(line); });
        Assert.ThrowsAny<IOException>(() => cache.Spill(1 << 16));
        var file = DiskLoader.StreamBibTeX(_path, null, cache, out var error);
        Assert.Null(error);
        Assert.Equal(DiskLoaderTests.Describe(DiskLoader.StreamBibTeX(_path, null, null, out _)!), DiskLoaderTests.Describe(file!));
    }

    /// <summary>A library of <paramref name="n"/> small entries in a file of its own, loaded as the server loads it.</summary>
    private LibrarySet SearchableSet(string name, int n, string extraTitle = "")
    {
        var path = _ws.Path(name);
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.Append($"@article{{key{i}, title = {{Paper {i} on topic{i % 97}{extraTitle}}}, year = {1990 + i % 30}}}\n");
        File.WriteAllText(path, sb.ToString());
        return LibrarySet.Create([DiskLoader.LoadLibrary(path, LibraryKind.BibTeX)]);
    }

    private static string Answers(PaperNotes.Core.Search.SearchIndex index) =>
        string.Join(";", new[] { "", "key12", "topic5", "paper 77", "2011" }.Select(q => string.Join(",", index.Search(q, 20).Select(h => h.Paper.Key + h.Match))));

    [Fact]
    public async Task A_library_sets_search_index_comes_back_from_its_image_for_the_same_content_only()
    {
        var set = SearchableSet("many.bib", LibraryCache.SearchImageFrom);
        Assert.Equal(CacheLookup.Missing, _cache.TryLoadSearch(set).Outcome);
        set.WarmUp();
        await _cache.StoreSearchAsync(set);

        // A new server: the same file loaded again, its index read back, answering as the built one.
        var again = SearchableSet("many.bib", LibraryCache.SearchImageFrom);
        var (index, outcome) = _cache.TryLoadSearch(again);
        Assert.Equal(CacheLookup.Hit, outcome);
        again.SearchFrom(() => index);
        Assert.Equal(Answers(set.Search), Answers(again.Search));
        Assert.True(again.SearchFromImage);
        Assert.Same(index, again.Search);

        // One title changed: another content, the image is stale (and replaced once the new index is built).
        var changed = SearchableSet("many.bib", LibraryCache.SearchImageFrom, extraTitle: " (revised)");
        Assert.Equal(CacheLookup.Stale, _cache.TryLoadSearch(changed).Outcome);
        changed.WarmUp();
        await _cache.StoreSearchAsync(changed);
        Assert.Equal(CacheLookup.Hit, _cache.TryLoadSearch(SearchableSet("many.bib", LibraryCache.SearchImageFrom, extraTitle: " (revised)")).Outcome);

        // Truncated: never read.
        var image = File.ReadAllBytes(_cache.SearchImagePath(changed));
        for (int cut = 0; cut < image.Length; cut += 1 + cut / 20)
        {
            File.WriteAllBytes(_cache.SearchImagePath(changed), image[..cut]);
            Assert.Equal(CacheLookup.Corrupt, _cache.TryLoadSearch(changed).Outcome);
        }
    }

    [Fact]
    public async Task A_small_set_or_one_with_an_editors_text_has_no_search_image()
    {
        var small = SearchableSet("few.bib", 50);
        small.WarmUp();
        await _cache.StoreSearchAsync(small);
        Assert.False(File.Exists(_cache.SearchImagePath(small)));

        var text = File.ReadAllText(_ws.Path("few.bib"));
        var edited = LibrarySet.Create([LibraryParser.Parse(_ws.Path("many.bib"), string.Concat(Enumerable.Repeat(text, 300)), LibraryKind.BibTeX)]);
        Assert.Null(edited.ContentKey);
        edited.WarmUp();
        await _cache.StoreSearchAsync(edited);
        Assert.False(Directory.Exists(_ws.Path(".cache")));
    }

    [Fact]
    public void Of_a_burst_of_rewrites_only_the_last_librarys_image_is_written()
    {
        // Writes wait in a queue, as the server's wait for a quiet library; then run, the older one last.
        var queued = new List<Action>();
        var cache = new LibraryCache(_ws.Path(".cache"), store => { queued.Add(store); return Task.CompletedTask; });
        var first = DiskLoader.StreamBibTeX(_path, null, cache, out _)!;
        File.WriteAllText(_path, DiskLoaderTests.Library + "@misc{later}\n");
        var second = DiskLoader.StreamBibTeX(_path, first, cache, out _)!;
        Assert.Equal(2, queued.Count);
        queued[1]();
        queued[0](); // asked for before the newer write: dropped, never over it
        var (warm, outcome) = cache.TryLoad(_path, new FileInfo(_path), null);
        Assert.Equal(CacheLookup.Hit, outcome);
        Assert.Equal(DiskLoaderTests.Describe(second), DiskLoaderTests.Describe(warm!));
    }
}
