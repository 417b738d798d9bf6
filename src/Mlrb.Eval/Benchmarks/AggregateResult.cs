namespace Mlrb.Eval.Benchmarks;

/// <summary>A group score and how it was computed.</summary>
/// <param name="Name">E.g. <c>blimp</c>, <c>mmlu</c>, <c>mmlu_stem</c>, <c>superglue</c>.</param>
/// <param name="Value">The value (fraction, 0–1).</param>
/// <param name="Stderr">Pooled standard error, or null.</param>
/// <param name="Formula">The formula in words.</param>
public sealed record AggregateResult(string Name, double Value, double? Stderr, string Formula);
