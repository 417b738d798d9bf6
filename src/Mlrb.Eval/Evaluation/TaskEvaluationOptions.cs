using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Metrics;
using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Evaluation;

/// <summary>What <see cref="TaskEvaluator"/> scores and how.</summary>
public sealed record TaskEvaluationOptions
{
    /// <summary>The submitted Hugging Face model folder (config.json, *.safetensors, tokenizer).</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The benchmark data folder (layout in docs/eval-benchmarks.md).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Score only the first N documents of every subtask (the harness's <c>--limit</c>).</summary>
    public int? Limit { get; init; }

    /// <summary>Few-shot examples per document; null takes the task record's value.</summary>
    public int? Shots { get; init; }

    /// <summary>Which split to score: <see cref="EvaluationSplit.Test"/> for the final score, <see cref="EvaluationSplit.Validation"/> for self-checks.</summary>
    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>Score MultiRC with the correct gold instead of the harness's inverted one.</summary>
    public bool FixMultiRc { get; init; }

    /// <summary>Stop at the first bad row or missing file.</summary>
    public bool Strict { get; init; }

    /// <summary>Largest data row read, in bytes (default 4 MiB); a longer row is a bad row, skipped without being held in memory.</summary>
    public int MaxRowBytes { get; init; } = 4 << 20;

    /// <summary>Where the model runs: <c>cpu</c> (default), <c>ilgpu-cpu</c>, <c>cuda</c> or <c>cuda:N</c> (see <see cref="Scoring.ComputeDevices"/>).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>CPU threads for the engine (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Check the task's rules (parameters, precisions, memory, base model) before scoring; a violation scores nothing.</summary>
    public bool EnforceRules { get; init; } = true;

    /// <summary>Text-generation tasks: the Lean checker.</summary>
    public LeanOptions Lean { get; init; } = new();

    /// <summary>Text-generation tasks: a JSONL of predictions generated elsewhere, scored instead of generating from the model.</summary>
    public string? PredictionsPath { get; init; }

    /// <summary>A LoRA adapter folder merged into the model at load time, or null.</summary>
    public string? Adapter { get; init; }

    /// <summary>The arithmetic of the engine's matrix products (fp32 by default; bf16 is opt-in and not bit-comparable).</summary>
    public ComputeDType DType { get; init; } = ComputeDType.Fp32;

    /// <summary>Creates the log-likelihood scorer of a model folder; null loads Mlrb's engine (<see cref="ModelScorer.Load"/>).</summary>
    public Func<string, ILogLikelihoodScorer>? ScorerFactory { get; init; }

    /// <summary>Score only this shard's documents and report them (null: all); log-likelihood benchmarks only.</summary>
    public EvaluationShard? Shard { get; init; }
}
