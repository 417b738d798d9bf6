using System.Globalization;

namespace Mlrb.Tools.Http;

/// <summary>
/// The outermost handler of the tool clients: reads the final response body into memory, refusing one larger than
/// <c>maxBytes</c> (by its declared length or while reading a chunked body) or one that takes longer than
/// <c>readTimeout</c> to arrive. Callers above it (Octokit, <see cref="HttpFetcher"/>) then read a buffered body.
/// </summary>
/// <param name="maxBytes">Largest body accepted.</param>
/// <param name="readTimeout">How long the body may take once the headers arrived.</param>
/// <param name="timeProvider">The clock for the read timeout.</param>
internal sealed class ResponseBodyLimitHandler(long maxBytes, TimeSpan readTimeout, TimeProvider timeProvider) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        try
        {
            if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
            {
                throw new HttpBodyException(Invariant($"the response is {declared} bytes, over the {maxBytes}-byte limit."), status);
            }

            using var timeout = new CancellationTokenSource(readTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await response.Content.LoadIntoBufferAsync(maxBytes, linked.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ex.InnerException is null) // the buffer limit; a network failure has an inner exception
            {
                throw new HttpBodyException(Invariant($"the response is over the {maxBytes}-byte limit; it was not read further."), status);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new HttpBodyException(Invariant($"the response body did not arrive within {readTimeout.TotalSeconds:0.###} s."), status);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
