namespace Mlrb.Eval.Benchmarks;

/// <summary>Progress of a benchmark run.</summary>
/// <param name="CompletedRequests">Requests scored so far.</param>
/// <param name="TotalRequests">Requests in the run.</param>
/// <param name="Elapsed">Time spent scoring so far.</param>
public sealed record EvaluationProgress(int CompletedRequests, int TotalRequests, TimeSpan Elapsed)
{
    /// <summary>Estimated time left, from the rate so far (null before the first request completes).</summary>
    public TimeSpan? Remaining => CompletedRequests == 0
        ? null
        : TimeSpan.FromTicks((long)(Elapsed.Ticks * (double)(TotalRequests - CompletedRequests) / CompletedRequests));
}
