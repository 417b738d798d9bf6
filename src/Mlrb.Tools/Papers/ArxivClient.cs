using Mlrb.Tools.Http;

namespace Mlrb.Tools.Papers;

/// <summary>Downloads arXiv PDFs (<c>pdf/{id}</c> under the configured base address).</summary>
/// <param name="http">A client whose base address serves <c>pdf/{id}</c>.</param>
/// <param name="fetcher">Sends through the client's handlers (retries, timeouts, size cap) and turns failures into messages.</param>
internal sealed class ArxivClient(HttpClient http, HttpFetcher fetcher)
{
    /// <summary>The PDF bytes of an arXiv paper.</summary>
    /// <param name="arxivId">The arXiv id, e.g. <c>1706.03762</c> or <c>hep-th/9901001</c>.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The bytes, or the error.</returns>
    public async Task<(byte[]? Pdf, string? Error)> GetPdfAsync(string arxivId, CancellationToken cancellationToken)
    {
        var path = string.Join('/', arxivId.Split('/').Select(Uri.EscapeDataString));
        var result = await fetcher.GetAsync(http, $"pdf/{path}", $"PDF of arXiv:{arxivId}", cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return (null, result.Error);
        }

        return result.Body.AsSpan().StartsWith("%PDF"u8)
            ? (result.Body, null)
            : (null, $"PDF of arXiv:{arxivId}: the server answered with something that is not a PDF ({result.Body.Length} bytes).");
    }
}
