namespace Mlrb.Tasks;

/// <summary>Where a run stands at the start of a worker turn.</summary>
public sealed record WorkerTurnState
{
    /// <summary>Wall-clock time since the run started.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The supervisor's plan, one step per entry.</summary>
    public IReadOnlyList<string> Plan { get; init; } = [];

    /// <summary>Short summaries of the most recent actions, oldest first.</summary>
    public IReadOnlyList<string> RecentActions { get; init; } = [];

    /// <summary>The previous action (tool and arguments), if any.</summary>
    public string? PreviousAttempt { get; init; }

    /// <summary>The previous action's output (already capped by the caller), if any.</summary>
    public string? PreviousOutput { get; init; }

    /// <summary>The previous action's error output (already capped by the caller), if any.</summary>
    public string? PreviousErrors { get; init; }
}
