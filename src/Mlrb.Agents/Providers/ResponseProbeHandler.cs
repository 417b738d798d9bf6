using System.Globalization;

namespace Mlrb.Agents.Providers;

/// <summary>Records each response's status and <c>Retry-After</c> into <see cref="ProviderCallProbe.Current"/>.</summary>
internal sealed class ResponseProbeHandler : DelegatingHandler
{
    /// <summary>Creates the handler over <paramref name="inner"/>.</summary>
    /// <param name="inner">The handler that sends.</param>
    public ResponseProbeHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (ProviderCallProbe.Current is { } probe)
        {
            probe.LastStatusCode = (int)response.StatusCode;
            probe.RetryAfter = ReadRetryAfter(response);
        }

        return response;
    }

    /// <summary>Reads <c>retry-after-ms</c> or <c>Retry-After</c> (delta seconds or HTTP date).</summary>
    /// <param name="response">The response.</param>
    /// <returns>The wait, or null when the server gave none.</returns>
    internal static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
