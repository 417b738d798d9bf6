using Mlrb.Eval.Reports;
using Mlrb.Eval.Statistics;
using Mlrb.Tasks.Runs;

namespace Mlrb.Eval.Evaluation;

/// <summary>
/// The result of scoring a submission for a task: <see cref="RunOutcome.Scored"/> with a score and the full report,
/// <see cref="RunOutcome.InvalidSubmission"/> with the rules it broke (score 0), or <see cref="RunOutcome.EvaluationError"/>
/// when the scorer failed (data missing, crash).
/// </summary>
public sealed record TaskEvaluationResult
{
    /// <summary>The task.</summary>
    public required string Task { get; init; }

    /// <summary>Scored, invalid submission or evaluation error.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>What failed or which rules were broken, in words; null when scored.</summary>
    public string? Detail { get; init; }

    /// <summary>The task score (0–1, higher is better) when scored; null otherwise (tables count it as 0).</summary>
    public double? Score { get; init; }

    /// <summary>What the score is, e.g. <c>blimp</c>, <c>mmlu_paper</c>, <c>superglue</c>.</summary>
    public string? ScoreName { get; init; }

    /// <summary>The rules the submission broke.</summary>
    public IReadOnlyList<RuleViolation> Violations { get; init; } = [];

    /// <summary>The model's weight statistics, when they could be read.</summary>
    public ModelStatistics? Statistics { get; init; }

    /// <summary>The full report, when scoring ran.</summary>
    public EvaluationReport? Report { get; init; }
}
