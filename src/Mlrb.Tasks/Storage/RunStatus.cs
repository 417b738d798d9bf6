namespace Mlrb.Tasks.Storage;

/// <summary>Where a run stands.</summary>
public enum RunStatus
{
    /// <summary>Started and not finished (or killed before it could record an end).</summary>
    Running,

    /// <summary>Finished with a submission.</summary>
    Completed,

    /// <summary>Stopped because a budget (time, tokens, cost, iterations) was spent.</summary>
    BudgetExhausted,

    /// <summary>Stopped by an unrecoverable error.</summary>
    Failed,

    /// <summary>Cancelled by the user.</summary>
    Cancelled,
}
