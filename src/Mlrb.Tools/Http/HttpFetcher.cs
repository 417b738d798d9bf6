using System.Globalization;
using Polly.Timeout;

namespace Mlrb.Tools.Http;

/// <summary>
/// GETs through a tool client whose handlers already retry (the resilience handler registered by <c>AddMlrbTools</c>),
/// time out each attempt and cap the body (<see cref="ResponseBodyLimitHandler"/>). Every failure becomes a readable
/// message instead of an exception.
/// </summary>
/// <param name="options">The timeout, for messages.</param>
internal sealed class HttpFetcher(MlrbToolsOptions options)
{
    /// <summary>GETs <paramref name="relativeUri"/> from <paramref name="client"/>.</summary>
    /// <param name="client">A tool client with its base address and headers set.</param>
    /// <param name="relativeUri">The path and query, relative to the base address.</param>
    /// <param name="what">What is fetched, for messages ("README of a/b").</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The body or the error.</returns>
    public async Task<HttpFetchResult> GetAsync(HttpClient client, string relativeUri, string what, CancellationToken cancellationToken)
    {
        var url = client.BaseAddress is null ? new Uri(relativeUri) : new Uri(client.BaseAddress, relativeUri);
        var attempts = HttpCallAttempts.Begin();
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return Error(status, Describe(what, status, url, attempts, body));
            }

            return new HttpFetchResult { Body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), Status = status };
        }
        catch (Exception ex) when (DescribeException(what, url, attempts, ex, options.HttpTimeout) is { } message)
        {
            return Error((ex as HttpBodyException)?.Status ?? 0, message);
        }
    }

    /// <summary>A readable message for a failed status, naming what, where and how often it was tried.</summary>
    /// <param name="what">What was fetched.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="url">The address.</param>
    /// <param name="attempts">The attempts made.</param>
    /// <param name="body">The error body, if any (its start is quoted).</param>
    /// <returns>The message.</returns>
    public static string Describe(string what, int status, Uri url, HttpCallAttempts attempts, string? body)
    {
        var detail = (body ?? "").Trim();
        detail = detail.Length > 300 ? detail[..300] + "..." : detail;
        var reason = status switch
        {
            404 => "not found",
            401 or 403 => "access refused (a token may be missing or lack rights, or the rate limit was hit)",
            429 => "rate limited",
            >= 500 => "server error",
            _ => "request refused",
        };
        var retried = status is 408 or 429 or >= 500 ? $" after {attempts}" : "";
        var tail = detail.Length > 0 ? $": {detail}" : ".";
        return string.Create(CultureInfo.InvariantCulture, $"{what}: {reason} (HTTP {status}{retried}) at {url}{tail}");
    }

    /// <summary>A readable message for a transport failure, or null when the exception is not one.</summary>
    /// <param name="what">What was fetched.</param>
    /// <param name="url">The address.</param>
    /// <param name="attempts">The attempts made.</param>
    /// <param name="exception">The failure.</param>
    /// <param name="attemptTimeout">The per-attempt timeout, for the message.</param>
    /// <returns>The message or null.</returns>
    public static string? DescribeException(string what, Uri url, HttpCallAttempts attempts, Exception exception, TimeSpan attemptTimeout) => exception switch
    {
        HttpBodyException body => $"{what}: {body.Message}",
        TimeoutRejectedException => string.Create(CultureInfo.InvariantCulture, $"{what}: no answer within {attemptTimeout.TotalSeconds:0.###} s ({attempts}) from {url}."),
        HttpRequestException { InnerException: System.Net.Sockets.SocketException } => $"{what}: could not reach {url} ({attempts}): {exception.Message}",
        HttpRequestException or IOException => $"{what}: the connection failed ({attempts}) at {url}: {exception.Message}",
        _ => null,
    };

    private static HttpFetchResult Error(int status, string message) => new() { Status = status, Error = message };
}
