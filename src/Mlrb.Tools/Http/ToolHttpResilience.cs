using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Mlrb.Tools.Http;

/// <summary>
/// The resilience pipeline of the tool clients (GitHub, Semantic Scholar, arXiv), registered with
/// <c>AddResilienceHandler</c>: retries with exponential backoff on 408, 429, 5xx, timeouts and connection failures,
/// waiting what <c>Retry-After</c> asks up to <see cref="MlrbToolsOptions.HttpMaxRetryDelay"/>; a timeout per attempt.
/// </summary>
internal static class ToolHttpResilience
{
    /// <summary>The pipeline's name in each client's handler chain.</summary>
    public const string PipelineName = "mlrb-tools";

    /// <summary>Adds the retry and the per-attempt timeout.</summary>
    /// <param name="builder">The handler's pipeline builder.</param>
    /// <param name="options">Retry counts, delays and the timeout.</param>
    /// <param name="timeProvider">The clock used to read an HTTP-date <c>Retry-After</c>.</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, MlrbToolsOptions options, TimeProvider timeProvider)
    {
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.HttpMaxRetries),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            Delay = options.HttpRetryBaseDelay,
            MaxDelay = options.HttpMaxRetryDelay,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(options.HttpMaxRetries > 0 && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.HttpMaxRetryDelay, timeProvider)),
        });
        builder.AddTimeout(options.HttpTimeout);
    }

    /// <summary>The wait a response's <c>Retry-After</c> asks for, capped at <paramref name="max"/>; null when it names none.</summary>
    /// <param name="response">The failed response, if one arrived.</param>
    /// <param name="max">The longest wait allowed.</param>
    /// <param name="timeProvider">The clock for an HTTP-date value.</param>
    /// <returns>The wait, or null to use the backoff.</returns>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max, TimeProvider timeProvider)
    {
        if (response?.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var delay = header.Delta ?? (header.Date is { } date ? date - timeProvider.GetUtcNow() : null);
        if (delay is not { } d)
        {
            return null;
        }

        return d < TimeSpan.Zero ? TimeSpan.Zero : d > max ? max : d;
    }
}
