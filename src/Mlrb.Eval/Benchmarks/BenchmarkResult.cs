using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>The outcome of one benchmark run.</summary>
public sealed record BenchmarkResult
{
    /// <summary>The benchmark.</summary>
    public required BenchmarkKind Benchmark { get; init; }

    /// <summary>Leaf-task scores, in benchmark order.</summary>
    public required IReadOnlyList<SubtaskResult> Subtasks { get; init; }

    /// <summary>Group scores; the first is the headline score.</summary>
    public required IReadOnlyList<AggregateResult> Aggregates { get; init; }

    /// <summary>Leaf tasks whose data was missing (skipped).</summary>
    public IReadOnlyList<string> MissingSubtasks { get; init; } = [];

    /// <summary>Rows skipped because they could not be read.</summary>
    public IReadOnlyList<DataIssue> DataIssues { get; init; } = [];

    /// <summary>Per-document predictions, when kept.</summary>
    public IReadOnlyList<DocumentPrediction> Documents { get; init; } = [];

    /// <summary>Per-item prompts, generations, references and metrics of a text-generation evaluation (math_reasoning).</summary>
    public IReadOnlyList<GeneratedSample> Generations { get; init; } = [];

    /// <summary>True when the run was cancelled and only part of the requests were scored.</summary>
    public bool Partial { get; init; }

    /// <summary>Requests scored.</summary>
    public int RequestsScored { get; init; }

    /// <summary>Requests the full run has.</summary>
    public int TotalRequests { get; init; }

    /// <summary>Tokens run through the model, as the scorer reported them.</summary>
    public long TokensScored { get; init; }

    /// <summary>Time spent in the scorer.</summary>
    public TimeSpan ScoringTime { get; init; }

    /// <summary>Remarks for the report, e.g. a metric that is unavailable and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Few-shot examples per document.</summary>
    public int Shots { get; init; }
}
