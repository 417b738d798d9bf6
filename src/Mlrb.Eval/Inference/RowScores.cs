namespace Mlrb.Eval.Inference;

/// <summary>What the log-softmax gather returns for each logit row.</summary>
/// <param name="LogSumExp">log Σ exp(logits) per row (double accumulation).</param>
/// <param name="ArgMax">First index of the largest logit per row (torch's tie rule).</param>
/// <param name="TargetLogits">Per row, the logits of the requested target ids, in request order.</param>
internal sealed record RowScores(double[] LogSumExp, int[] ArgMax, float[][] TargetLogits);
