namespace Mlrb.Eval.Benchmarks;

/// <summary>The scores of one leaf task.</summary>
/// <param name="Name">Harness task name.</param>
/// <param name="Group">Its category (MMLU category, BLiMP field, <c>superglue</c>).</param>
/// <param name="Documents">Documents scored.</param>
/// <param name="Metrics">Its metrics.</param>
public sealed record SubtaskResult(string Name, string Group, int Documents, IReadOnlyList<MetricValue> Metrics);
