namespace Mlrb.Eval.Scoring;

/// <summary>One lm-evaluation-harness <c>loglikelihood</c> request on text.</summary>
/// <param name="Context">The context string (may be empty).</param>
/// <param name="Continuation">The continuation whose log-probability is summed (must not be empty).</param>
public sealed record LogLikelihoodRequest(string Context, string Continuation);
