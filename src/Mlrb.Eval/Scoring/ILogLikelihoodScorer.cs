namespace Mlrb.Eval.Scoring;

/// <summary>Scores log-likelihood requests exactly as lm-evaluation-harness does for a causal model.</summary>
public interface ILogLikelihoodScorer
{
    /// <summary>The model's maximum sequence length (used for left truncation).</summary>
    int MaxLength { get; }

    /// <summary>Scores text requests; results come back in request order.</summary>
    /// <param name="requests">The requests.</param>
    /// <param name="progress">Receives progress reports, if given.</param>
    /// <param name="cancellationToken">Stops scoring.</param>
    /// <returns>One result per request.</returns>
    Task<IReadOnlyList<LogLikelihoodResult>> ScoreAsync(
        IReadOnlyList<LogLikelihoodRequest> requests,
        IProgress<ScoringProgress>? progress = null,
        CancellationToken cancellationToken = default);

    /// <summary>Scores token-id requests; results come back in request order.</summary>
    /// <param name="requests">The requests.</param>
    /// <param name="progress">Receives progress reports, if given.</param>
    /// <param name="cancellationToken">Stops scoring.</param>
    /// <returns>One result per request.</returns>
    Task<IReadOnlyList<LogLikelihoodResult>> ScoreTokensAsync(
        IReadOnlyList<TokenLogLikelihoodRequest> requests,
        IProgress<ScoringProgress>? progress = null,
        CancellationToken cancellationToken = default);
}
