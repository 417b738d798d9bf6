using Mlrb.Tasks.Runs;

namespace Mlrb.Agents.ToolLoop;

/// <summary>How a worker's conversation ended.</summary>
internal enum LoopOutcomeKind
{
    /// <summary>The model called <c>return_fn</c> with a valid submission.</summary>
    Submitted,

    /// <summary>The model reported the subtask done (or failed) through <c>finish_subtask</c> or a final text reply.</summary>
    Finished,

    /// <summary>The iteration cap or the consecutive-error cap was reached.</summary>
    Stalled,

    /// <summary>A budget (time, tokens, cost) ran out.</summary>
    BudgetExhausted,
}

/// <summary>The end of one worker conversation.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="Summary">The worker's report, or why it stopped.</param>
/// <param name="Success">Whether the worker says the subtask succeeded.</param>
/// <param name="Submission">The submission, for <see cref="LoopOutcomeKind.Submitted"/>.</param>
internal sealed record LoopOutcome(LoopOutcomeKind Kind, string Summary, bool Success = false, Submission? Submission = null);
