namespace Mlrb.Eval.Metrics;

/// <summary>A corpus BLEU result on sacrebleu's 0–100 scale.</summary>
/// <param name="Score">BLEU (0–100).</param>
/// <param name="Precisions">The four (smoothed) n-gram precisions, 0–100.</param>
/// <param name="BrevityPenalty">The brevity penalty.</param>
/// <param name="HypothesisLength">Tokens in the hypotheses.</param>
/// <param name="ReferenceLength">Tokens in the references.</param>
public sealed record BleuScore(double Score, IReadOnlyList<double> Precisions, double BrevityPenalty, int HypothesisLength, int ReferenceLength);
