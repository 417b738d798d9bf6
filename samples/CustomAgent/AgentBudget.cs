namespace CustomAgent;

/// <summary>The hard limits of one run: model calls and wall-clock time. Whichever is reached first ends the run.</summary>
/// <param name="MaxIterations">How many model calls the run may make.</param>
/// <param name="TimeLimit">How long the run may take, tool calls included.</param>
public sealed record AgentBudget(int MaxIterations, TimeSpan TimeLimit)
{
    /// <summary>The default: a short run of 8 model calls in 5 minutes.</summary>
    public static AgentBudget Default { get; } = new(8, TimeSpan.FromMinutes(5));
}
