using Mlrb.Eval.Benchmarks;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>The parsed <c>mlrb eval</c> options.</summary>
internal sealed record EvalSettings
{
    public string? Task { get; init; }

    public string? Benchmark { get; init; }

    public required string Model { get; init; }

    public IReadOnlyList<string> TaskDirectories { get; init; } = [];

    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>Score only this shard and write a partial report (<c>--shard I/N</c>), or null.</summary>
    public EvaluationShard? Shard { get; init; }

    /// <summary>A LoRA adapter folder merged into <see cref="Model"/> (resolved from --adapter, or from --model ADAPTER --base DIR).</summary>
    public string? Adapter { get; init; }

    /// <summary>--base as given (resolved into <see cref="Model"/> and <see cref="Adapter"/> before the run).</summary>
    public string? Base { get; init; }

    public required string Data { get; init; }

    public int? Limit { get; init; }

    public int? Shots { get; init; }

    public required string Output { get; init; }

    public bool FixMultiRc { get; init; }

    public bool Strict { get; init; }

    public int MaxRowBytes { get; init; } = 4 << 20;

    public string? Lean { get; init; }

    public int LeanTimeoutSeconds { get; init; } = 60;

    public string? Predictions { get; init; }

    public string Device { get; init; } = "cpu";

    public int? Threads { get; init; }

    /// <summary>--dtype as given (fp32 or bf16).</summary>
    public string DType { get; init; } = "fp32";

    public bool Json { get; init; }

    /// <summary>Where to write the self-contained HTML report, or null.</summary>
    public string? Html { get; init; }
}
