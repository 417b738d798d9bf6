namespace Mlrb.Eval.Generation;

/// <summary>The log-probability the model gave one token, with the most likely alternatives at that position.</summary>
/// <param name="TokenId">The token.</param>
/// <param name="Token">Its text, decoded alone.</param>
/// <param name="Logprob">Its log-probability (log-softmax over the full output width).</param>
/// <param name="TopLogprobs">The most likely tokens at that position, most likely first (empty when none were asked for).</param>
public sealed record TokenLogprob(int TokenId, string Token, double Logprob, IReadOnlyList<TokenAlternative> TopLogprobs);

/// <summary>A candidate token at one position.</summary>
/// <param name="TokenId">The token.</param>
/// <param name="Token">Its text, decoded alone.</param>
/// <param name="Logprob">Its log-probability.</param>
public sealed record TokenAlternative(int TokenId, string Token, double Logprob);
