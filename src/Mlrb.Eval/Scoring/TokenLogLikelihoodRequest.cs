namespace Mlrb.Eval.Scoring;

/// <summary>One log-likelihood request already in token ids.</summary>
/// <param name="Context">Context ids (non-empty: the caller supplies BOS/EOS for an empty context).</param>
/// <param name="Continuation">Continuation ids (non-empty).</param>
public sealed record TokenLogLikelihoodRequest(IReadOnlyList<int> Context, IReadOnlyList<int> Continuation);
