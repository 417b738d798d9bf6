namespace Mlrb.Eval.Scoring;

/// <summary>Progress of a scoring job.</summary>
/// <param name="CompletedRequests">Requests scored so far.</param>
/// <param name="TotalRequests">Requests in the job.</param>
/// <param name="TokensProcessed">Tokens run through the model so far.</param>
public sealed record ScoringProgress(int CompletedRequests, int TotalRequests, long TokensProcessed);
