using System.IO.Hashing;
using System.Reflection;
using System.Text;
using Microsoft.Win32.SafeHandles;
using PaperNotes.Core.Library;
using PaperNotes.Core.Library.BibTeX;
using PaperNotes.Core.Search;
using PaperNotes.Core.Text;
using PaperNotes.Core.Workspace;

namespace PaperNotes.Server.Workspace;

/// <summary>What a library file was when it was read: its size, modification time and a hash of its bytes.</summary>
public readonly record struct SourceStamp(long Length, long ModifiedTicks, ulong ContentHash);

/// <summary>What looking a library up in the cache found.</summary>
public enum CacheLookup
{
    /// <summary>The image of this very file: used.</summary>
    Hit,
    /// <summary>No image for this path.</summary>
    Missing,
    /// <summary>An image of another size, time or content of the file.</summary>
    Stale,
    /// <summary>An image written by another version of the server (or another image format).</summary>
    OtherVersion,
    /// <summary>A truncated or damaged image, or one that does not read as a library.</summary>
    Corrupt,
}

/// <summary>
/// The warm start: an image (<see cref="LibraryImage"/>) of each big BibTeX library under the user's cache directory,
/// never inside the workspace, so a new server process skips reading, scanning and compressing an unchanged library.
/// An image is keyed by the library's path, size, modification time and content hash, and checksummed whole: a stale,
/// truncated, corrupt or other-version image is detected and rebuilt, never trusted. Images are written to a temporary
/// file and renamed over the old one, so two servers writing at once leave one whole image, never a mix of two.
/// </summary>
public sealed class LibraryCache
{
    private static readonly byte[] Magic = "PNLCACHE"u8.ToArray();
    private const int FramingVersion = 1;
    private readonly Func<Action, Task> _runStore;
    // The newest write asked for of each image: an older one that has not started yet is dropped.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _newestWrite = new(StringComparer.Ordinal);
    private long _writes;
    private readonly Action<string> _log;

    /// <param name="directory">Where images go (see <see cref="DefaultDirectory"/>).</param>
    /// <param name="runStore">How an image is written once a library was read: the server writes in the background once
    /// the library has been quiet a few seconds (a reference manager rewrites it on every change: a burst writes one
    /// image, the last); the command line writes before it goes on, so the next run finds it.</param>
    /// <param name="log">Where what the cache did is told: an image used or found stale, a failed write (a full disk, a
    /// read-only cache: the library still works).</param>
    public LibraryCache(string directory, Func<Action, Task>? runStore = null, Action<string>? log = null)
    {
        Directory = directory;
        _runStore = runStore ?? (store => { store(); return Task.CompletedTask; });
        _log = log ?? (_ => { });
    }

    public string Directory { get; }

    /// <summary>The user's cache directory for papernotes: <c>$XDG_CACHE_HOME/papernotes</c> (else <c>~/.cache/papernotes</c>)
    /// on Linux, <c>~/Library/Caches/papernotes</c> on macOS, <c>%LOCALAPPDATA%\papernotes\cache</c> on Windows; null
    /// when there is no home to put it in.</summary>
    public static string? DefaultDirectory()
    {
        if (OperatingSystem.IsWindows())
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) is { Length: > 0 } local ? Path.Combine(local, "papernotes", "cache") : null;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS()) return home.Length > 0 ? Path.Combine(home, "Library", "Caches", "papernotes") : null;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "papernotes");
        return home.Length > 0 ? Path.Combine(home, ".cache", "papernotes") : null;
    }

    /// <summary>Where a big library's bytes wait while they are compressed, the first time it is read (<see cref="FileSlab"/>):
    /// in this cache's folder.</summary>
    public ByteSlab Spill(int capacity) => FileSlab.Create(Path.Combine(Directory, "libraries"), capacity);

    /// <summary>The version that wrote an image: another build's image is never read (its format may differ).</summary>
    private static readonly string ServerVersion =
        typeof(LibraryCache).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Where the image of <paramref name="path"/> goes: one per library path, replaced when the library changes.</summary>
    public string ImagePath(string path) =>
        Path.Combine(Directory, "libraries", System.Convert.ToHexStringLower(XxHash3.Hash(Encoding.UTF8.GetBytes(path))) + ".pnlib");

    /// <summary>The library as its image holds it, when the image is of this very file; else null and why.</summary>
    /// <param name="source">The library file as it is now (size and time).</param>
    /// <param name="previous">The version of the file being replaced, if any (its decoded papers are reused).</param>
    public (LibraryFile? File, CacheLookup Outcome) TryLoad(string path, FileInfo source, LibraryFile? previous)
    {
        var (file, outcome) = Lookup(path, source, previous);
        if (outcome != CacheLookup.Missing)
            _log(outcome == CacheLookup.Hit ? $"{path}: read from the library cache" : $"{path}: the library cache's image is {Describe(outcome)}; reading the library");
        return (file, outcome);
    }

    private static string Describe(CacheLookup outcome) => outcome switch
    {
        CacheLookup.Stale => "of an older version of the file",
        CacheLookup.OtherVersion => "of another version of papernotes",
        _ => "damaged",
    };

    private (LibraryFile? File, CacheLookup Outcome) Lookup(string path, FileInfo source, LibraryFile? previous)
    {
        var imagePath = ImagePath(path);
        try
        {
            using var image = MappedImage.Open(imagePath, LibraryImage.FormatVersion, out var opened);
            if (image is null) return (null, opened);
            var r = image.Header;
            var stamp = new SourceStamp(r.ReadInt64(), r.ReadInt64(), r.ReadUInt64());
            if (r.ReadString() != path || stamp.Length != source.Length || stamp.ModifiedTicks != source.LastWriteTimeUtc.Ticks)
                return (null, CacheLookup.Stale);
            // The content is hashed on the other core while the image is read: a file rewritten within the time's
            // resolution, at the same size, is still told apart.
            // An image that turns out unusable stops the hash: reading a 1.5 GB library for nothing would delay the read
            // that replaces the image.
            using var unusable = new CancellationTokenSource();
            var content = Task.Run(() => HashOf(source, unusable.Token));
            try
            {
                // The compressed blocks are read from the image by position (they cost neither a read now nor memory
                // later), except on Windows, where an image held open could not be replaced by the next write's rename.
                bool keep = ReadsTextFromImages;
                var library = image.IsWhole() ? LibraryImage.Read(image.TakePayload(), path, previous, keep ? image.ChunkAt : null) : null;
                if (library is null) return (null, CacheLookup.Corrupt);
                if (content.GetAwaiter().GetResult() != stamp.ContentHash) return (null, CacheLookup.Stale);
                if (keep) image.KeepFile();
                MarkUsed(imagePath);
                return (library with { ContentHash = stamp.ContentHash }, CacheLookup.Hit);
            }
            finally
            {
                if (!content.IsCompleted) unusable.Cancel();
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, CacheLookup.Missing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException or NotSupportedException)
        {
            return (null, CacheLookup.Corrupt);
        }
    }

    /// <summary>Whether a library's text is read from its image once there is one (<see cref="FileChunk"/>): not on
    /// Windows, where a file held open cannot be replaced by the next image's rename.</summary>
    private static bool ReadsTextFromImages => !OperatingSystem.IsWindows();

    /// <summary>Writes the image of a library just read (when it has one: a big BibTeX file) as <see cref="_runStore"/>
    /// runs it; once written, the library's text reads its blocks from it rather than holding them (at 1M papers,
    /// 650 MB out of the process's memory).</summary>
    public Task StoreAsync(string path, LibraryFile library, SourceStamp stamp)
    {
        if (!LibraryImage.CanWrite(library)) return Task.CompletedTask;
        LibraryImage.WrittenText? written = null;
        return Schedule(ImagePath(path), LibraryImage.FormatVersion, (w, payload) =>
        {
            w.Write(stamp.Length);
            w.Write(stamp.ModifiedTicks);
            w.Write(stamp.ContentHash);
            w.Write(path);
            w.Flush();
            written = LibraryImage.Write(library, payload);
        }, ReadsTextFromImages ? image =>
        {
            written!.Text.Relocate(FileChunk.Of(image, written.Starts, written.Chunks));
            _log($"{path}: its text is read from the library cache's image from now on");
        } : null);
    }

    /// <summary>Sets smaller than this build their search index in well under a second: not worth an image.</summary>
    public const int SearchImageFrom = 10_000;

    /// <summary>Where the search index image of a set of library files goes: one per set of paths, replaced when their content changes.</summary>
    public string SearchImagePath(LibrarySet set) =>
        Path.Combine(Directory, "libraries", System.Convert.ToHexStringLower(XxHash3.Hash(Encoding.UTF8.GetBytes(string.Join('\n', set.Paths)))) + ".pnidx");

    /// <summary>The search index of <paramref name="set"/> as its image holds it, when the image is of this very content
    /// (<see cref="LibrarySet.ContentKey"/>); else null and why.</summary>
    public (SearchIndex? Index, CacheLookup Outcome) TryLoadSearch(LibrarySet set)
    {
        if (set.ContentKey is not { } key || set.Papers.Count < SearchImageFrom) return (null, CacheLookup.Missing);
        var imagePath = SearchImagePath(set);
        try
        {
            // Streamed, not mapped: the index is copied into arrays anyway, and a map's pages would count twice meanwhile.
            using var image = StreamedImage.Open(imagePath, SearchIndexImage.FormatVersion, out var opened);
            if (image is null) return (null, opened);
            if (image.Header.ReadUInt64() != key) return (null, CacheLookup.Stale);
            var index = SearchIndexImage.Read(image.Payload, set.Papers);
            if (index is null || !image.EndsWithItsChecksum()) return (null, CacheLookup.Corrupt);
            MarkUsed(imagePath);
            _log($"search index of {set.Papers.Count:N0} papers read from the library cache");
            return (index, CacheLookup.Hit);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, CacheLookup.Missing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException or NotSupportedException)
        {
            return (null, CacheLookup.Corrupt);
        }
    }

    /// <summary>Writes the image of a set's built search index (for a set whose content is known by hash, of
    /// <see cref="SearchImageFrom"/> papers or more) as <see cref="_runStore"/> runs it.</summary>
    public Task StoreSearchAsync(LibrarySet set)
    {
        if (set.ContentKey is not { } key || set.Papers.Count < SearchImageFrom || !set.SearchReady) return Task.CompletedTask;
        var index = set.Search;
        return Schedule(SearchImagePath(set), SearchIndexImage.FormatVersion, (w, payload) =>
        {
            w.Write(key);
            w.Flush();
            SearchIndexImage.Write(index, payload);
        });
    }

    /// <summary>Writes an image as <see cref="_runStore"/> runs it, unless a newer write of the same image was asked for
    /// before this one started: of a burst of rewrites, only the last library's image is written.</summary>
    private Task Schedule(string imagePath, int payloadVersion, Action<BinaryWriter, Stream> write, Action<SafeFileHandle>? written = null)
    {
        long ticket = Interlocked.Increment(ref _writes);
        _newestWrite.AddOrUpdate(imagePath, ticket, (_, newest) => Math.Max(newest, ticket));
        return _runStore(() =>
        {
            if (_newestWrite.TryGetValue(imagePath, out long newest) && newest == ticket) WriteImage(imagePath, payloadVersion, write, written);
        });
    }

    /// <summary>Whether an image's magic and versions are this build's.</summary>
    private static CacheLookup CheckFraming(BinaryReader r, int payloadVersion) =>
        !r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) ? CacheLookup.Corrupt
        : r.ReadInt32() != FramingVersion || r.ReadString() != ServerVersion || r.ReadInt32() != payloadVersion ? CacheLookup.OtherVersion
        : CacheLookup.Hit;

    /// <summary>The image when its magic and versions (read from <paramref name="header"/>) are this build's; else null
    /// and why, the image disposed (also when reading them fails).</summary>
    private static TImage? Framed<TImage>(TImage image, BinaryReader header, int payloadVersion, out CacheLookup outcome) where TImage : class, IDisposable
    {
        try { outcome = CheckFraming(header, payloadVersion); }
        catch
        {
            image.Dispose();
            throw;
        }
        if (outcome == CacheLookup.Hit) return image;
        image.Dispose();
        return null;
    }

    /// <summary>An image read through a memory map of its file (a library's): its magic and versions checked, the rest
    /// of the header next, then its checksum (<see cref="IsWhole"/>), then the payload, whose text the library may go
    /// on reading from the file by position (<see cref="ChunkAt"/>, <see cref="KeepFile"/>). The map itself goes when
    /// the image is disposed.</summary>
    private sealed class MappedImage : IDisposable
    {
        private readonly SafeFileHandle _file;
        private readonly MappedFile _map;
        private readonly MemoryImageStream _stream;
        private int _payloadStart = -1;
        private bool _kept, _disposed;

        private MappedImage(SafeFileHandle file, MappedFile map)
        {
            _file = file;
            _map = map;
            // Everything but the checksum at the end.
            _stream = new MemoryImageStream(map.Memory[..(map.Length - sizeof(ulong))]);
            Header = new BinaryReader(_stream, Encoding.UTF8, leaveOpen: true);
        }

        public BinaryReader Header { get; }

        /// <summary>The payload, after the header read so far, as memory of the map; where it starts in the file is kept
        /// for <see cref="ChunkAt"/>.</summary>
        public ReadOnlyMemory<byte> TakePayload()
        {
            _payloadStart = (int)_stream.Position;
            return _map.Memory[_payloadStart..(_map.Length - sizeof(ulong))];
        }

        /// <summary>The stretch (offset, length) of <see cref="TakePayload"/>'s payload as a chunk read from the file by position.</summary>
        public StoredChunk ChunkAt(int offset, int length) =>
            _payloadStart >= 0 ? new FileChunk(_file, _payloadStart + (long)offset, length) : throw new InvalidOperationException("no payload taken yet");

        /// <summary>The image at <paramref name="path"/> when its framing and versions are this build's; else null and why.</summary>
        public static MappedImage? Open(string path, int payloadVersion, out CacheLookup outcome)
        {
            var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            MappedImage image;
            try
            {
                long length = RandomAccess.GetLength(file);
                if (length < Magic.Length + sizeof(ulong) || length > int.MaxValue)
                {
                    file.Dispose();
                    outcome = CacheLookup.Corrupt;
                    return null;
                }
                image = new MappedImage(file, MappedFile.Open(file, length));
            }
            catch
            {
                file.Dispose();
                throw;
            }
            return Framed(image, image.Header, payloadVersion, out outcome);
        }

        /// <summary>The image ends with the checksum of everything before it: hashed over the map (a 770 MB image in
        /// about 50 ms), before anything of the payload is trusted.</summary>
        public bool IsWhole()
        {
            var all = _map.Memory.Span;
            return XxHash3.HashToUInt64(all[..^sizeof(ulong)]) == BitConverter.ToUInt64(all[^sizeof(ulong)..]);
        }

        /// <summary>The library read goes on reading its text from the file (<see cref="ChunkAt"/>): the file stays open
        /// until the library goes (the chunks' handle closes when they are collected).</summary>
        public void KeepFile() => _kept = true;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Header.Dispose();
            ((IDisposable)_map).Dispose();
            if (!_kept) _file.Dispose();
        }
    }

    /// <summary>An image read as a stream (a search index's, copied into arrays as it is read): its magic and versions
    /// checked, the rest of the header next, then the payload, then the checksum of everything before it.</summary>
    private sealed class StreamedImage : IDisposable
    {
        private readonly FileStream _file;
        private readonly ChecksumStream _hashed;

        private StreamedImage(FileStream file)
        {
            _file = file;
            _hashed = new ChecksumStream(file);
            Header = new BinaryReader(_hashed, Encoding.UTF8, leaveOpen: true);
        }

        public BinaryReader Header { get; }
        public Stream Payload => _hashed;

        /// <summary>The image at <paramref name="path"/> when its framing and versions are this build's; else null and why.</summary>
        public static StreamedImage? Open(string path, int payloadVersion, out CacheLookup outcome)
        {
            var image = new StreamedImage(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16));
            return Framed(image, image.Header, payloadVersion, out outcome);
        }

        /// <summary>After the payload: exactly the checksum of everything read is left.</summary>
        public bool EndsWithItsChecksum()
        {
            ulong computed = _hashed.Checksum;
            return _file.Length - _file.Position == sizeof(ulong) && new BinaryReader(_file).ReadUInt64() == computed;
        }

        public void Dispose()
        {
            Header.Dispose();
            _file.Dispose();
        }
    }

    /// <summary>Writes an image to a temporary file (magic, versions, then what <paramref name="write"/> writes, then the
    /// checksum of it all) and renames it over the old one: readers see the old image or the new, never half of one.</summary>
    /// <param name="written">Given the image file, opened for reading, once it is whole and in place: whoever keeps the
    /// handle reads the very bytes written, whatever is renamed over the path later. Not called when the write failed.</param>
    private void WriteImage(string imagePath, int payloadVersion, Action<BinaryWriter, Stream> write, Action<SafeFileHandle>? written = null)
    {
        var temporary = $"{imagePath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        SafeFileHandle? image = null;
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(imagePath)!);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using var hashed = new ChecksumStream(file);
                using (var w = new BinaryWriter(hashed, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Magic);
                    w.Write(FramingVersion);
                    w.Write(ServerVersion);
                    w.Write(payloadVersion);
                    write(w, hashed);
                }
                new BinaryWriter(file).Write(hashed.Checksum);
                file.Flush(flushToDisk: true);
            }
            // Opened by its temporary name, which no one else knows: the handle is of this very image.
            if (written is not null) image = File.OpenHandle(temporary, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            File.Move(temporary, imagePath, overwrite: true);
            Prune(Path.GetDirectoryName(imagePath)!, keep: imagePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log($"could not write the library cache {imagePath}: {e.Message}");
            image?.Dispose();
            try { File.Delete(temporary); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            return;
        }
        if (image is not null) written!(image);
    }

    /// <summary>Images not used for this long go (a library deleted, a workspace in a temporary folder).</summary>
    private static readonly TimeSpan UnusedFor = TimeSpan.FromDays(30);
    /// <summary>Past this many bytes, the least recently used images go (a million papers' image is about 0.7 GB).</summary>
    public const long MaxBytes = 4L << 30;

    /// <summary>An image's time says when it was last used, for <see cref="Prune"/>.</summary>
    private static void MarkUsed(string imagePath)
    {
        try { File.SetLastWriteTimeUtc(imagePath, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Keeps the cache bounded: images unused for <see cref="UnusedFor"/>, then the least recently used past
    /// <see cref="MaxBytes"/>, and temporary files a writer left when it died.</summary>
    private static void Prune(string directory, string keep)
    {
        try
        {
            var now = DateTime.UtcNow;
            foreach (var stale in new DirectoryInfo(directory).EnumerateFiles("*.tmp").Where(f => now - f.LastWriteTimeUtc > TimeSpan.FromHours(1)))
                stale.Delete();
            var images = new DirectoryInfo(directory).EnumerateFiles("*.pn*").Where(f => f.Extension is ".pnlib" or ".pnidx" && f.FullName != keep)
                .OrderBy(f => f.LastWriteTimeUtc).ToList();
            long total = images.Sum(f => f.Length) + new FileInfo(keep).Length;
            foreach (var image in images)
            {
                if (now - image.LastWriteTimeUtc <= UnusedFor && total <= MaxBytes) break;
                total -= image.Length;
                image.Delete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another server pruning too
    }

    /// <summary>The content hash of a file as it is now (XxHash3 of its bytes).</summary>
    public static ulong HashOf(FileInfo source, CancellationToken cancellation = default)
    {
        using var stream = new FileStream(source.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        var hash = new XxHash3();
        var buffer = new byte[1 << 20];
        for (int read; (read = stream.Read(buffer)) > 0;)
        {
            cancellation.ThrowIfCancellationRequested();
            hash.Append(buffer.AsSpan(0, read));
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>Passes bytes through and hashes them: an image's checksum is computed as it is written and (a streamed one) read.</summary>
    private sealed class ChecksumStream(Stream inner) : Stream
    {
        private readonly XxHash3 _hash = new();
        private long _position;
        public ulong Checksum => _hash.GetCurrentHashAsUInt64();
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        /// <summary>How many bytes went through: where the next one lies in a file written from its start.</summary>
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer);
            _hash.Append(buffer[..read]);
            _position += read;
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.Append(buffer);
            inner.Write(buffer);
            _position += buffer.Length;
        }
    }
}
