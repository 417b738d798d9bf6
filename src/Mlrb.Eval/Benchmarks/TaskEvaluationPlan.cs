using System.Globalization;
using Mlrb.Tasks;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// How a research task's model is scored and which rules it must pass, read from the task record
/// (<see cref="ResearchTask.Evaluation"/>, <see cref="ResearchTask.DeviceMemoryLimitGb"/>,
/// <see cref="ResearchTask.AllowedPrecisions"/>, <see cref="ResearchTask.MaxParameters"/>, <see cref="ResearchTask.BaseModel"/>).
/// Mlrb.Eval keeps no task table of its own: a task loaded from a task file is planned the same way as a built-in one.
/// </summary>
public sealed record TaskEvaluationPlan
{
    private const long GiB = 1024L * 1024 * 1024;

    /// <summary>The task name.</summary>
    public required string Task { get; init; }

    /// <summary>The benchmarks, in the record's order; the first one is the task's primary benchmark.</summary>
    public required IReadOnlyList<PlannedBenchmark> Benchmarks { get; init; }

    /// <summary>How the benchmarks' results combine into the score.</summary>
    public required ScoreAggregation Aggregation { get; init; }

    /// <summary>The aggregation as the record writes it.</summary>
    public required string AggregationFormula { get; init; }

    /// <summary>The device-memory limit a submission must fit in, in bytes (null: none, as for a bare benchmark).</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Where the limit comes from, in words.</summary>
    public string? MemoryLimitSource { get; init; }

    /// <summary>The weight precisions a submission may use; empty means any.</summary>
    public IReadOnlyList<WeightPrecision> AllowedPrecisions { get; init; } = [];

    /// <summary>The most parameters a submission may have, or null.</summary>
    public long? MaxParameters { get; init; }

    /// <summary>The base model a submission must be derived from, or null.</summary>
    public string? BaseModel { get; init; }

    /// <summary>For text-generation tasks, the held-out items and prompt format.</summary>
    public GenerationSpec? Generation { get; init; }

    /// <summary>The primary benchmark (the first).</summary>
    public BenchmarkKind Benchmark => Benchmarks[0].Kind;

    /// <summary>Whether the task allows only FP16/FP32 weights (no quantization, no BF16).</summary>
    public bool RequiresFp16OrFp32 => AllowedPrecisions.Count > 0 && AllowedPrecisions.All(p => p is WeightPrecision.Fp16 or WeightPrecision.Fp32);

    /// <summary>A plan that runs one benchmark on its own, with no task rules (<c>mlrb eval --benchmark</c>).</summary>
    /// <param name="benchmark">The benchmark (not text generation, which needs a task's generation spec).</param>
    /// <returns>The plan.</returns>
    public static TaskEvaluationPlan ForBenchmark(BenchmarkKind benchmark)
    {
        var name = BenchmarkNaming.Name(benchmark);
        return new TaskEvaluationPlan
        {
            Task = name,
            Benchmarks = [new PlannedBenchmark(benchmark, new BenchmarkSpec { Name = name, Metric = "acc" })],
            Aggregation = benchmark == BenchmarkKind.Mmlu ? ScoreAggregation.MeanOverCategoryMeans : ScoreAggregation.MeanOverSubtasks,
            AggregationFormula = "the benchmark's headline score",
        };
    }

    /// <summary>Builds the plan of a task from its record.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">The task names a benchmark Mlrb.Eval does not know, or none.</exception>
    public static TaskEvaluationPlan For(ResearchTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var benchmarks = new List<PlannedBenchmark>();
        foreach (var spec in task.Evaluation.Benchmarks)
        {
            if (!BenchmarkNaming.TryParse(spec.Name, out var kind))
            {
                throw new ArgumentException($"task '{task.Name}' is scored on '{spec.Name}', which Mlrb.Eval does not know (known: blimp, super_glue, mmlu, mathqa, bleu, rouge_l, lean3_pass_rate).", nameof(task));
            }

            // BLEU, ROUGE-L and the Lean pass rate are one text-generation evaluation.
            if (kind != BenchmarkKind.TextGeneration || benchmarks.All(b => b.Kind != BenchmarkKind.TextGeneration))
            {
                benchmarks.Add(new PlannedBenchmark(kind, spec));
            }
        }

        if (benchmarks.Count == 0)
        {
            throw new ArgumentException($"task '{task.Name}' names no benchmark to score.", nameof(task));
        }

        var (bytes, source) = task.DeviceMemoryLimitGb is { } device
            ? (device * GiB, string.Create(CultureInfo.InvariantCulture, $"device with {device} GB DRAM (task's device_memory_limit_gb)"))
            : (task.Compute.GpuMemoryGb * GiB * Math.Max(1, task.Compute.GpuCount), $"{task.Compute.Describe()} (task compute)");
        return new TaskEvaluationPlan
        {
            Task = task.Name,
            Benchmarks = benchmarks,
            Aggregation = task.Evaluation.Aggregation,
            AggregationFormula = task.Evaluation.AggregationFormula,
            MemoryLimitBytes = bytes,
            MemoryLimitSource = source,
            AllowedPrecisions = task.AllowedPrecisions,
            MaxParameters = task.MaxParameters,
            BaseModel = task.BaseModel,
            Generation = task.Evaluation.Generation,
        };
    }
}
