using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Tests.Fakes;

/// <summary>A deterministic scorer whose log-likelihoods the test defines; it records every request it saw.</summary>
internal sealed class FakeScorer(Func<LogLikelihoodRequest, double> logLikelihood) : ILogLikelihoodScorer
{
    public List<LogLikelihoodRequest> Seen { get; } = [];

    public int Calls { get; private set; }

    /// <summary>Cancels this source once this many calls have completed.</summary>
    public (int AfterCalls, CancellationTokenSource Source)? CancelAfter { get; set; }

    public int MaxLength => 1024;

    public Task<IReadOnlyList<LogLikelihoodResult>> ScoreAsync(IReadOnlyList<LogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls++;
        Seen.AddRange(requests);
        IReadOnlyList<LogLikelihoodResult> results = requests.Select(r => new LogLikelihoodResult(logLikelihood(r), false, 1, r.Continuation.Length)).ToList();
        progress?.Report(new ScoringProgress(requests.Count, requests.Count, requests.Sum(r => r.Continuation.Length + 1)));
        if (CancelAfter is { } c && Calls >= c.AfterCalls)
        {
            c.Source.Cancel();
        }

        return Task.FromResult(results);
    }

    public Task<IReadOnlyList<LogLikelihoodResult>> ScoreTokensAsync(IReadOnlyList<TokenLogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();
}
