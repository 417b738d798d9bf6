using System.Globalization;
using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Mlrb.Tools.Http;

/// <summary>
/// GETs with a Polly pipeline: retries with exponential backoff on 5xx, 429 (honouring <c>Retry-After</c>),
/// timeouts and connection failures; a timeout per attempt; a cap on the body size. Every failure becomes a
/// readable message instead of an exception.
/// </summary>
internal sealed class HttpFetcher
{
    private readonly MlrbToolsOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Builds the pipeline from <paramref name="options"/>.</summary>
    /// <param name="options">Timeouts, retries and caps.</param>
    /// <param name="timeProvider">The clock for delays (system clock when null).</param>
    public HttpFetcher(MlrbToolsOptions options, TimeProvider? timeProvider = null)
    {
        _options = options;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.HttpMaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.HttpRetryBaseDelay,
                MaxDelay = options.HttpMaxRetryDelay,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(options.HttpMaxRetries > 0 && IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            })
            .AddTimeout(options.HttpTimeout)
            .Build();
    }

    /// <summary>GETs <paramref name="relativeUri"/> from <paramref name="client"/>.</summary>
    /// <param name="client">A client with its base address and headers set.</param>
    /// <param name="relativeUri">The path and query, relative to the base address.</param>
    /// <param name="what">What is fetched, for messages ("GitHub README of a/b").</param>
    /// <param name="maxBytes">Largest accepted body.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The body or the error.</returns>
    public async Task<HttpFetchResult> GetAsync(HttpClient client, string relativeUri, string what, long maxBytes, CancellationToken cancellationToken)
    {
        var url = client.BaseAddress is null ? new Uri(relativeUri) : new Uri(client.BaseAddress, relativeUri);
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return Error(0, $"{what}: no answer within {Seconds(_options.HttpTimeout)} s ({Attempts(attempts)}) from {url}.");
        }
        catch (HttpRequestException ex)
        {
            return Error(0, $"{what}: could not reach {url} ({Attempts(attempts)}): {ex.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return Error(status, await DescribeFailureAsync(response, what, url, attempts, cancellationToken).ConfigureAwait(false));
            }

            if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
            {
                return Error(status, $"{what}: the response is {declared} bytes, over the {maxBytes}-byte limit.");
            }

            using var readTimeout = new CancellationTokenSource(_options.HttpTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, readTimeout.Token);
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
                using var body = new MemoryStream();
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, linked.Token).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > maxBytes)
                    {
                        return Error(status, $"{what}: the response is over the {maxBytes}-byte limit; it was not read further.");
                    }

                    body.Write(buffer, 0, read);
                }

                return new HttpFetchResult { Body = body.ToArray(), Status = status };
            }
            catch (OperationCanceledException) when (readTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Error(status, $"{what}: the response body did not arrive within {Seconds(_options.HttpTimeout)} s.");
            }
            catch (HttpRequestException ex)
            {
                return Error(status, $"{what}: the connection failed while reading the response: {ex.Message}");
            }
            catch (IOException ex)
            {
                return Error(status, $"{what}: the connection failed while reading the response: {ex.Message}");
            }
        }
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        return status >= 500 || status == (int)HttpStatusCode.TooManyRequests;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var delay = header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is not { } d)
        {
            return null;
        }

        return d < TimeSpan.Zero ? TimeSpan.Zero : d > _options.HttpMaxRetryDelay ? _options.HttpMaxRetryDelay : d;
    }

    private static async Task<string> DescribeFailureAsync(HttpResponseMessage response, string what, Uri url, int attempts, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string detail;
        try
        {
            using var shortRead = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shortRead.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            detail = body.Length > 300 ? body[..300] + "..." : body;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            detail = "";
        }

        var reason = status switch
        {
            404 => "not found",
            401 or 403 => "access refused (a token may be missing or lack rights, or the rate limit was hit)",
            429 => "rate limited",
            >= 500 => "server error",
            _ => "request refused",
        };
        var retried = status == 429 || status >= 500 ? $" after {Attempts(attempts)}" : "";
        var tail = detail.Trim().Length > 0 ? $": {detail.Trim()}" : ".";
        return string.Create(CultureInfo.InvariantCulture, $"{what}: {reason} (HTTP {status}{retried}) at {url}{tail}");
    }

    private static string Attempts(int n) => n == 1 ? "1 attempt" : string.Create(CultureInfo.InvariantCulture, $"{n} attempts");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static HttpFetchResult Error(int status, string message) => new() { Status = status, Error = message };
}
