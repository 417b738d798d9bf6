using System.Net.Sockets;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.Providers;
using Polly;
using Polly.Retry;

namespace Mlrb.Agents.Middleware;

/// <summary>
/// Retries failed model calls with Polly: transient HTTP statuses (408, 409, 429, 5xx) and network errors,
/// waiting what the server's <c>Retry-After</c> asks (capped) or an exponential back-off otherwise.
/// Client errors (400, 401, 403, 404, ...) fail at once.
/// </summary>
internal sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The next client.</param>
    /// <param name="maxRetries">Retries after the first attempt.</param>
    /// <param name="maxDelay">Longest wait between attempts; a longer <c>Retry-After</c> fails the call instead.</param>
    /// <param name="timeProvider">The clock Polly waits on.</param>
    /// <param name="onRetry">Called before each wait (attempt number, delay, cause).</param>
    public ResilientChatClient(IChatClient inner, int maxRetries, TimeSpan maxDelay, TimeProvider timeProvider, Action<int, TimeSpan, Exception?>? onRetry = null)
        : base(inner)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = maxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsTransient(ex, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(RetryAfterKey, out var wait) && wait is { } w ? (TimeSpan?)w : null),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.Build();
        MaxDelay = maxDelay;
    }

    private static ResiliencePropertyKey<TimeSpan?> RetryAfterKey { get; } = new("mlrb.retry-after");

    private static ResiliencePropertyKey<int?> StatusKey { get; } = new("mlrb.status");

    private TimeSpan MaxDelay { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    var probe = ProviderCallProbe.Begin();
                    try
                    {
                        return await state.Inner.GetResponseAsync(state.Messages, state.Options, ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception) when (!ctx.CancellationToken.IsCancellationRequested)
                    {
                        ctx.Properties.Set(StatusKey, probe.LastStatusCode);
                        ctx.Properties.Set(RetryAfterKey, probe.RetryAfter);
                        if (probe.RetryAfter is { } wait && wait > state.MaxDelay)
                        {
                            throw new ModelCallFailedException(
                                $"The model server asked to wait {RunBudget.Format(wait)} (Retry-After), longer than the {RunBudget.Format(state.MaxDelay)} allowed.",
                                probe.LastStatusCode);
                        }

                        throw;
                    }
                },
                context,
                (Inner: InnerClient, Messages: list, Options: options, MaxDelay)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether a failure is worth retrying.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="context">The attempt's context (holds the HTTP status the probe saw).</param>
    /// <returns>True for transient failures.</returns>
    private static bool IsTransient(Exception exception, ResilienceContext context)
    {
        if (exception is BudgetExhaustedException or ModelCallFailedException or OperationCanceledException)
        {
            return false;
        }

        if (context.Properties.TryGetValue(StatusKey, out var status) && status is { } code)
        {
            return code is 408 or 409 or 429 or >= 500;
        }

        // No HTTP response at all: a connection failure or a timeout below us.
        return exception is HttpRequestException or IOException or SocketException or TimeoutException;
    }
}
