using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Storage;

/// <summary>One scoring of a run's submission, as stored. A run may be evaluated again; the newest evaluation decides its outcome.</summary>
public sealed record EvaluationRecord
{
    /// <summary>Database id (assigned on insert).</summary>
    public long Id { get; init; }

    /// <summary>The run whose submission was scored.</summary>
    public required string RunId { get; init; }

    /// <summary>When scoring started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When scoring ended (UTC).</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary><see cref="RunOutcome.Scored"/>, <see cref="RunOutcome.InvalidSubmission"/> or <see cref="RunOutcome.EvaluationError"/>.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>Which rule was violated or what failed, in words; null when scored.</summary>
    public string? Detail { get; init; }

    /// <summary>The task score, when scored.</summary>
    public double? Score { get; init; }

    /// <summary>What the score is, e.g. <c>blimp</c> or <c>mmlu_paper</c>.</summary>
    public string? ScoreName { get; init; }

    /// <summary>The model folder that was scored.</summary>
    public string? ModelPath { get; init; }

    /// <summary>SHA-256 of the model's config and weights, when computed.</summary>
    public string? ModelSha256 { get; init; }

    /// <summary>The benchmark data folder.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The full evaluation report (JSON), when one was produced.</summary>
    public string? ReportJson { get; init; }

    /// <summary>Hardware and software of the evaluation (JSON).</summary>
    public string? EnvironmentJson { get; init; }
}
