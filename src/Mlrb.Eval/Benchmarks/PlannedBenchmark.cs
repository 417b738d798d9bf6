using Mlrb.Tasks;

namespace Mlrb.Eval.Benchmarks;

/// <summary>One benchmark of a task's evaluation, resolved to the kind Mlrb.Eval runs.</summary>
/// <param name="Kind">The benchmark kind.</param>
/// <param name="Spec">The task record's entry (shots, metric, subtasks).</param>
public sealed record PlannedBenchmark(BenchmarkKind Kind, BenchmarkSpec Spec);
