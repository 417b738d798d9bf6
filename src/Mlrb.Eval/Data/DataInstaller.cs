using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Mlrb.Eval.Benchmarks;

namespace Mlrb.Eval.Data;

/// <summary>
/// <c>mlrb data download</c>: fetches a benchmark's release files (resumable, SHA-256 checked when pinned and recorded in
/// <c>downloads.json</c> otherwise), then unpacks archives into the data-folder layout.
/// </summary>
public static class DataInstaller
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Downloads and unpacks a benchmark.</summary>
    /// <param name="benchmark">The benchmark.</param>
    /// <param name="dataDirectory">The data folder.</param>
    /// <param name="http">The HTTP client.</param>
    /// <param name="mirror">Fetch from <c>mirror + MirrorPath</c> instead of the publishers' URLs.</param>
    /// <param name="log">Receives one line per file.</param>
    /// <param name="cancellationToken">Stops the download (a partial file is kept for resuming).</param>
    /// <returns>The files fetched with their SHA-256.</returns>
    public static async Task<IReadOnlyDictionary<string, string>> InstallAsync(
        BenchmarkKind benchmark, string dataDirectory, HttpClient http, Uri? mirror, Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var downloader = new DataDownloader(http);
        var manifestPath = Path.Combine(dataDirectory, "downloads.json");
        var manifest = File.Exists(manifestPath)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(manifestPath, cancellationToken).ConfigureAwait(false)) ?? []
            : [];
        var fetched = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var release in DataReleases.For(benchmark))
        {
            var url = mirror is null ? release.Url : new Uri(mirror, release.MirrorPath);
            var local = Path.Combine(dataDirectory, release.LocalPath);
            var expected = release.Sha256 ?? manifest.GetValueOrDefault(release.LocalPath);
            var sha = await downloader.DownloadAsync(url, local, expected, cancellationToken).ConfigureAwait(false);
            manifest[release.LocalPath] = sha;
            fetched[release.LocalPath] = sha;
            await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, Indented), cancellationToken).ConfigureAwait(false);
            log?.Invoke($"{release.LocalPath}  sha256 {sha}");
            Unpack(local, dataDirectory);
        }

        return fetched;
    }

    /// <summary>Unpacks <c>mmlu/data.tar</c> (data/{dev,val,test}/ → mmlu/...) and <c>superglue/&lt;Task&gt;.zip</c> (→ superglue/&lt;Task&gt;/).</summary>
    private static void Unpack(string file, string dataDirectory)
    {
        if (file.EndsWith(".tar", StringComparison.Ordinal))
        {
            using var stream = File.OpenRead(file);
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                var index = name.IndexOf("data/", StringComparison.Ordinal);
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || index < 0 || !name.EndsWith(".csv", StringComparison.Ordinal))
                {
                    continue;
                }

                var target = SafeCombine(Path.Combine(dataDirectory, "mmlu"), name[(index + "data/".Length)..]);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
            }
        }
        else if (file.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = ZipFile.OpenRead(file);
            foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".jsonl", StringComparison.Ordinal)))
            {
                var target = SafeCombine(Path.Combine(dataDirectory, "superglue"), entry.FullName.Replace('\\', '/'));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
            }
        }
    }

    private static string SafeCombine(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var rootFull = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        return full.StartsWith(rootFull, StringComparison.Ordinal) ? full : throw new BenchmarkDataException($"archive entry '{relative}' points outside {root}");
    }
}
