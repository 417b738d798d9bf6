namespace Mlrb.Eval.Scoring;

/// <summary>The score of one request.</summary>
/// <param name="LogLikelihood">Sum of the continuation tokens' log-probabilities.</param>
/// <param name="IsGreedy">Whether every continuation token was the argmax.</param>
/// <param name="ContextTokens">Number of context tokens after encoding (before truncation).</param>
/// <param name="ContinuationTokens">Number of continuation tokens.</param>
public sealed record LogLikelihoodResult(double LogLikelihood, bool IsGreedy, int ContextTokens, int ContinuationTokens);
