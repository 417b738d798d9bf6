using Mlrb.Eval.Scoring;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>
/// Hands back recorded log-likelihoods in request order, so that <c>mlrb eval merge</c> runs the very scoring and
/// aggregation code an unsharded run does on the shards' numbers.
/// </summary>
internal sealed class ReplayScorer(IReadOnlyList<double> logLikelihoods) : ILogLikelihoodScorer
{
    private int _next;

    /// <summary>Recorded values not asked for (must be 0 after a merge).</summary>
    public int Remaining => logLikelihoods.Count - _next;

    /// <inheritdoc/>
    public int MaxLength => int.MaxValue;

    /// <inheritdoc/>
    public Task<IReadOnlyList<LogLikelihoodResult>> ScoreAsync(IReadOnlyList<LogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (requests.Count > Remaining)
        {
            throw new InvalidOperationException($"the shards hold fewer predictions than the data has requests ({logLikelihoods.Count} recorded); the data or settings differ from the shards'.");
        }

        var results = new LogLikelihoodResult[requests.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new LogLikelihoodResult(logLikelihoods[_next++], false, 0, 0);
        }

        return Task.FromResult<IReadOnlyList<LogLikelihoodResult>>(results);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LogLikelihoodResult>> ScoreTokensAsync(IReadOnlyList<TokenLogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("merge replays text requests only.");
}
