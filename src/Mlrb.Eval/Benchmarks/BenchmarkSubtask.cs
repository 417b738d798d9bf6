using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>A leaf task of a benchmark (a BLiMP paradigm, an MMLU subject, a SuperGLUE task), ready to score.</summary>
/// <param name="Name">Harness task name, e.g. <c>blimp_adjunct_island</c>, <c>mmlu_anatomy</c>, <c>boolq</c>.</param>
/// <param name="Group">Category for aggregation (MMLU category, BLiMP field), or the benchmark name.</param>
/// <param name="Metric">Which metrics to compute.</param>
/// <param name="Documents">The documents, in dataset order.</param>
/// <param name="SourceFile">The evaluation file.</param>
internal sealed record BenchmarkSubtask(string Name, string Group, SubtaskMetric Metric, IReadOnlyList<BenchmarkDocument> Documents, string SourceFile);
