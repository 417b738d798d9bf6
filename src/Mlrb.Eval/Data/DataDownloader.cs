using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Mlrb.Eval.Data;

/// <summary>
/// Downloads one file over HTTP into a <c>.part</c> file, resuming with a <c>Range</c> request when a partial file is
/// there, then checks its SHA-256 (when one is expected) before moving it into place.
/// </summary>
internal sealed class DataDownloader(HttpClient http)
{
    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>; returns the file's SHA-256 (hex).</summary>
    public async Task<string> DownloadAsync(Uri url, string destination, string? expectedSha256, CancellationToken cancellationToken)
    {
        if (File.Exists(destination))
        {
            var existing = await Sha256Async(destination, cancellationToken).ConfigureAwait(false);
            if (expectedSha256 is null || string.Equals(existing, expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                return existing;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var part = destination + ".part";
        var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            offset = -1; // the partial file is already complete (or wrong); checked below
        }
        else if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkDataException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (offset >= 0)
        {
            var append = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            await using (var file = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write))
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }

        var actual = await Sha256Async(part, cancellationToken).ConfigureAwait(false);
        if (expectedSha256 is not null && !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new BenchmarkDataException($"{url}: SHA-256 mismatch (expected {expectedSha256}, got {actual}); the partial file was removed, run again to re-download");
        }

        File.Move(part, destination, overwrite: true);
        return actual;
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
