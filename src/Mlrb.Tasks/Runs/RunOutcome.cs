namespace Mlrb.Tasks.Runs;

/// <summary>
/// How a benchmark run ended: exactly one per finished run. Only <see cref="Scored"/> carries a score; the paper counts
/// every other outcome as 0.000. The names written to stores, JSON and tables are the snake_case forms
/// (<c>scored</c>, <c>no_submission</c>, ...) that <see cref="RunOutcomes.ToName"/> returns.
/// </summary>
public enum RunOutcome
{
    /// <summary>The submitted model was evaluated and has a score.</summary>
    Scored,

    /// <summary>The agent ended without submitting a model through <c>return_fn</c>.</summary>
    NoSubmission,

    /// <summary>The run's time, token or cost budget ran out before a submission (the detail names which).</summary>
    BudgetExhausted,

    /// <summary>The submission cannot be scored: missing folder, unloadable model, or a task rule violated (the detail names which).</summary>
    InvalidSubmission,

    /// <summary>The agent broke down: repeated malformed or failing tool calls, or a step cap.</summary>
    AgentError,

    /// <summary>The model API kept failing after retries (infrastructure, not the agent).</summary>
    ProviderError,

    /// <summary>The tool infrastructure (process sandbox, workspace) failed (infrastructure, not the agent).</summary>
    SandboxError,

    /// <summary>The scorer failed: evaluation data missing, a crash, a timeout (infrastructure, not the agent).</summary>
    EvaluationError,
}
