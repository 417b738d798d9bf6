namespace Mlrb.Eval.Benchmarks;

/// <summary>One metric of a subtask or group.</summary>
/// <param name="Name">Metric name (<c>acc</c>, <c>f1</c>, <c>em</c>).</param>
/// <param name="Value">The value (fraction, 0–1).</param>
/// <param name="Stderr">Standard error, or null where the harness reports N/A.</param>
public sealed record MetricValue(string Name, double Value, double? Stderr);
