using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Storage;

/// <summary>One agent run as stored.</summary>
public sealed record RunRecord
{
    /// <summary>Unique run id (also the name of the run's workspace folder).</summary>
    public required string RunId { get; init; }

    /// <summary>Name of the task the run works on, e.g. <c>baby_lm</c>.</summary>
    public required string TaskName { get; init; }

    /// <summary>Absolute path of the run's workspace.</summary>
    public required string WorkspacePath { get; init; }

    /// <summary>Provider name (<c>openai</c>, <c>anthropic</c>, ...).</summary>
    public string? Provider { get; init; }

    /// <summary>Model id the run used.</summary>
    public string? Model { get; init; }

    /// <summary>Current status.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended, if it has.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The wall-clock limit the run was given.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Why the run stopped (human-readable), if it has.</summary>
    public string? StopReason { get; init; }

    /// <summary>Input tokens reported by the provider, summed.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens reported by the provider, summed.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Cost in US dollars, when a price table was configured.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>The final result as JSON (submission, metrics, model path), if any.</summary>
    public string? ResultJson { get; init; }

    /// <summary>Free-form JSON the host wants to keep with the run (options, plan, versions).</summary>
    public string? MetadataJson { get; init; }

    /// <summary>How the run ended for the benchmark; null while it runs, or when its submission awaits evaluation.</summary>
    public RunOutcome? Outcome { get; init; }

    /// <summary>The outcome's detail in words: which budget, which rule, what failed.</summary>
    public string? OutcomeDetail { get; init; }

    /// <summary>The task score, for <see cref="RunOutcome.Scored"/> runs only (failed runs count as 0 in the tables).</summary>
    public double? Score { get; init; }

    /// <summary>The agent's name in results tables (<c>--label</c>); when null, <c>provider/model</c> is used.</summary>
    public string? Label { get; init; }

    /// <summary>Hardware and software the run used (JSON), recorded at start.</summary>
    public string? EnvironmentJson { get; init; }
}
