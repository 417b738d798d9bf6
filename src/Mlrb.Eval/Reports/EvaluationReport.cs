using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Statistics;

namespace Mlrb.Eval.Reports;

/// <summary>Everything one <c>mlrb eval</c> run reports: scores, model statistics, limits, settings and timing.</summary>
public sealed record EvaluationReport
{
    /// <summary>The task (or the benchmark name when run directly).</summary>
    public required string Task { get; init; }

    /// <summary>The model folder as given.</summary>
    public required string ModelPath { get; init; }

    /// <summary>SHA-256 over config.json and the weight files, or null when not computed.</summary>
    public string? ModelSha256 { get; init; }

    /// <summary>The scores.</summary>
    public required BenchmarkResult Result { get; init; }

    /// <summary>The model's weight statistics, when the folder has safetensors weights.</summary>
    public ModelStatistics? Statistics { get; init; }

    /// <summary>The task's plan (limits, dtype rule), when run for a task.</summary>
    public TaskEvaluationPlan? Plan { get; init; }

    /// <summary>Peak resident memory of the evaluating process.</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>Settings as given on the command line (data folder, limit, shots, ...).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>When the run finished (UTC).</summary>
    public required DateTimeOffset FinishedUtc { get; init; }

    /// <summary>Scoring throughput in tokens per second (0 when nothing was scored).</summary>
    public double TokensPerSecond => Result.ScoringTime.TotalSeconds > 0 ? Result.TokensScored / Result.ScoringTime.TotalSeconds : 0;

    /// <summary>Whether peak memory stayed within the task's limit; null when there is no task limit.</summary>
    public bool? MemoryWithinLimit => Plan?.MemoryLimitBytes is { } limit ? PeakMemoryBytes <= limit : null;

    /// <summary>The task score (the headline number the task record's aggregation defines), when scored.</summary>
    public double? Score { get; init; }

    /// <summary>What <see cref="Score"/> is, e.g. <c>blimp</c>, <c>mmlu_paper</c>, or the task's name for a multi-benchmark task.</summary>
    public string? ScoreName { get; init; }

    /// <summary>Whether the FP16/FP32-only rule holds; null when the task has no such rule or no statistics.</summary>
    public bool? DTypeRulePassed => Plan is { RequiresFp16OrFp32: true } && Statistics is not null ? Statistics.OnlyFp16OrFp32 : null;
}
