namespace Mlrb.Eval.Benchmarks;

/// <summary>How a research task's model is scored.</summary>
/// <param name="Task">The task name (as in the task catalog).</param>
/// <param name="Benchmark">The benchmark it is scored on.</param>
/// <param name="MemoryLimitBytes">The task's device-memory limit.</param>
/// <param name="MemoryLimitSource">Where the limit comes from, in words.</param>
/// <param name="RequiresFp16OrFp32">Whether the task allows only FP16/FP32 weights (no quantization).</param>
public sealed record TaskEvaluationPlan(string Task, BenchmarkKind Benchmark, long MemoryLimitBytes, string MemoryLimitSource, bool RequiresFp16OrFp32);
