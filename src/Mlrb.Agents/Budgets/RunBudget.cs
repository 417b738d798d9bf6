namespace Mlrb.Agents.Budgets;

/// <summary>
/// The limits of one run: a hard wall-clock deadline, a working deadline that leaves a reserve for the final
/// submission, and optional token and cost caps checked against a <see cref="UsageMeter"/>.
/// </summary>
internal sealed class RunBudget
{
    /// <summary>Creates a budget.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="startedAt">When the budget's clock started (for resumed runs, shifted by time already used).</param>
    /// <param name="timeLimit">The wall-clock limit.</param>
    /// <param name="reserve">Time kept for the final submission (capped at a tenth of the limit).</param>
    /// <param name="meter">Token and cost totals.</param>
    /// <param name="maxTokens">Optional token cap.</param>
    /// <param name="maxCostUsd">Optional cost cap.</param>
    public RunBudget(TimeProvider timeProvider, DateTimeOffset startedAt, TimeSpan timeLimit, TimeSpan reserve, UsageMeter meter, long? maxTokens = null, decimal? maxCostUsd = null)
    {
        TimeProvider = timeProvider;
        StartedAt = startedAt;
        TimeLimit = timeLimit;
        HardDeadline = startedAt + timeLimit;
        var effectiveReserve = reserve < timeLimit / 10 ? reserve : timeLimit / 10;
        WorkDeadline = HardDeadline - effectiveReserve;
        Meter = meter;
        MaxTokens = maxTokens;
        MaxCostUsd = maxCostUsd;
    }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>When the budget's clock started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The wall-clock limit.</summary>
    public TimeSpan TimeLimit { get; }

    /// <summary>No model call and no tool runs past this instant.</summary>
    public DateTimeOffset HardDeadline { get; }

    /// <summary>Ordinary work stops here; the time left is for the final submission.</summary>
    public DateTimeOffset WorkDeadline { get; }

    /// <summary>Token and cost totals.</summary>
    public UsageMeter Meter { get; }

    /// <summary>Token cap, if any.</summary>
    public long? MaxTokens { get; }

    /// <summary>Cost cap, if any.</summary>
    public decimal? MaxCostUsd { get; }

    /// <summary>Time since <see cref="StartedAt"/>.</summary>
    public TimeSpan Elapsed => TimeProvider.GetUtcNow() - StartedAt;

    /// <summary>Time until <see cref="HardDeadline"/> (never negative).</summary>
    public TimeSpan Remaining => Max(HardDeadline - TimeProvider.GetUtcNow());

    /// <summary>Time until <see cref="WorkDeadline"/> (never negative).</summary>
    public TimeSpan RemainingForWork => Max(WorkDeadline - TimeProvider.GetUtcNow());

    /// <summary>Why ordinary work must stop now (time reserve reached, 95% of tokens or cost spent), or null.</summary>
    /// <returns>A reason or null.</returns>
    public string? WorkStopReason()
    {
        if (TimeProvider.GetUtcNow() >= WorkDeadline)
        {
            return $"time limit of {Format(TimeLimit)} reached";
        }

        if (MaxTokens is { } tokens && Meter.TotalTokens >= tokens * 95 / 100)
        {
            return $"token budget nearly spent ({Meter.TotalTokens:N0} of {tokens:N0})";
        }

        if (MaxCostUsd is { } cost && Meter.CostUsd is { } spent && spent >= cost * 0.95m)
        {
            return $"cost budget nearly spent (${spent:0.####} of ${cost:0.####})";
        }

        return null;
    }

    /// <summary>Why no further model call may be made (hard deadline passed, tokens or cost spent), or null.</summary>
    /// <returns>A reason or null.</returns>
    public string? HardStopReason()
    {
        if (TimeProvider.GetUtcNow() >= HardDeadline)
        {
            return $"time limit of {Format(TimeLimit)} reached";
        }

        if (MaxTokens is { } tokens && Meter.TotalTokens >= tokens)
        {
            return $"token budget spent ({Meter.TotalTokens:N0} of {tokens:N0})";
        }

        if (MaxCostUsd is { } cost && Meter.CostUsd is { } spent && spent >= cost)
        {
            return $"cost budget spent (${spent:0.####} of ${cost:0.####})";
        }

        return null;
    }

    /// <summary>A token source that cancels at <paramref name="deadline"/> on this budget's clock.</summary>
    /// <param name="deadline">When to cancel.</param>
    /// <param name="linked">A token to link.</param>
    /// <returns>The source; dispose it.</returns>
    public CancellationTokenSource CancelAt(DateTimeOffset deadline, CancellationToken linked)
    {
        var timed = new CancellationTokenSource(Max(deadline - TimeProvider.GetUtcNow()), TimeProvider);
        if (!linked.CanBeCanceled)
        {
            return timed;
        }

        var combined = CancellationTokenSource.CreateLinkedTokenSource(timed.Token, linked);
        combined.Token.Register(static s => ((IDisposable)s!).Dispose(), timed);
        return combined;
    }

    /// <summary>Formats a duration as <c>24h</c>, <c>90m</c>, <c>45s</c> or <c>1h30m</c>.</summary>
    /// <param name="span">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan span)
    {
        if (span.TotalSeconds < 60)
        {
            return $"{span.TotalSeconds:0}s";
        }

        var hours = (int)span.TotalHours;
        var minutes = span.Minutes;
        return hours == 0 ? $"{minutes}m" : minutes == 0 ? $"{hours}h" : $"{hours}h{minutes}m";
    }

    private static TimeSpan Max(TimeSpan span) => span > TimeSpan.Zero ? span : TimeSpan.Zero;
}
