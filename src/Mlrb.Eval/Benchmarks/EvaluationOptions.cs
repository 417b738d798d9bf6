namespace Mlrb.Eval.Benchmarks;

/// <summary>What to evaluate and how.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The benchmark to run.</summary>
    public required BenchmarkKind Benchmark { get; init; }

    /// <summary>The data folder (layout in docs/eval-benchmarks.md).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Evaluate only the first N documents of every subtask (the harness's <c>--limit</c>).</summary>
    public int? Limit { get; init; }

    /// <summary>Few-shot examples per document; null uses the harness default (0 for all three benchmarks).</summary>
    public int? Shots { get; init; }

    /// <summary>Score MultiRC with the correct gold (label 1 = "yes") instead of the harness's inverted one.</summary>
    public bool FixMultiRc { get; init; }

    /// <summary>Stop at the first bad row or missing file instead of skipping it.</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Largest data row read, in bytes (default 4 MiB). A longer row is reported as a bad row with its line number
    /// and skipped without being held in memory.
    /// </summary>
    public int MaxRowBytes { get; init; } = 4 << 20;

    /// <summary>The subtasks to run (e.g. <c>high_school_mathematics</c> or <c>mmlu_high_school_mathematics</c>); empty runs all.</summary>
    public IReadOnlyList<string> Subtasks { get; init; } = [];

    /// <summary>Which split to score (default: the one the harness reports).</summary>
    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>Requests sent to the scorer per call (progress and Ctrl+C granularity).</summary>
    public int RequestsPerChunk { get; init; } = 256;

    /// <summary>Keep every document's log-likelihoods and prediction in the result.</summary>
    public bool KeepDocuments { get; init; } = true;

    /// <summary>Score only this shard's documents (null: all); see <see cref="EvaluationShard"/>.</summary>
    public EvaluationShard? Shard { get; init; }
}
