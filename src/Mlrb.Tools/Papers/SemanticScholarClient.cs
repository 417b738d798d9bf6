using System.Text.Json;
using Mlrb.Tools.Http;

namespace Mlrb.Tools.Papers;

/// <summary>The Semantic Scholar Graph API calls the paper tools need, over a configured <see cref="HttpClient"/>.</summary>
/// <param name="http">A client whose base address ends in <c>graph/v1/</c>, with the optional API key set.</param>
/// <param name="fetcher">Sends through the client's handlers (retries, timeouts, size cap) and turns failures into messages.</param>
internal sealed class SemanticScholarClient(HttpClient http, HttpFetcher fetcher)
{
    /// <summary>GETs <paramref name="relative"/> and parses the JSON body.</summary>
    /// <param name="relative">Path and query under the base address.</param>
    /// <param name="what">What is fetched, for messages.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The parsed document (caller disposes), or the error.</returns>
    public async Task<(JsonDocument? Json, string? Error)> GetJsonAsync(string relative, string what, CancellationToken cancellationToken)
    {
        var result = await fetcher.GetAsync(http, relative, what, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return (null, result.Error);
        }

        try
        {
            return (JsonDocument.Parse(result.Body), null);
        }
        catch (JsonException ex)
        {
            return (null, $"{what}: Semantic Scholar answered with something that is not JSON ({ex.Message}).");
        }
    }

    /// <summary>A paper id made safe for a URL path (<c>arXiv:1706.03762</c> keeps its colon).</summary>
    /// <param name="paperId">The id the model gave.</param>
    /// <returns>The escaped id.</returns>
    public static string EscapeId(string paperId) =>
        Uri.EscapeDataString(paperId.Trim()).Replace("%3A", ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>The text of a string property, or null.</summary>
    /// <param name="e">The object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The text.</returns>
    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The arXiv id in a paper's <c>externalIds</c>, or null.</summary>
    /// <param name="paper">The paper object.</param>
    /// <returns>The id.</returns>
    public static string? ArxivId(JsonElement paper) =>
        paper.ValueKind == JsonValueKind.Object && paper.TryGetProperty("externalIds", out var ids) ? Str(ids, "ArXiv") : null;

    /// <summary>A number property as text, or null.</summary>
    /// <param name="e">The object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The text.</returns>
    public static string? Num(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
}
