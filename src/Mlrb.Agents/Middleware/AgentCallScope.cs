namespace Mlrb.Agents.Middleware;

/// <summary>
/// Which run and which conversation (<c>supervisor</c>, <c>worker-3</c>) the model calls of the current async flow
/// belong to. Middleware such as the transcript reads it; the agent sets it around its calls.
/// </summary>
internal sealed record AgentCallScope(string RunId, string Agent)
{
    private static readonly AsyncLocal<AgentCallScope?> CurrentScope = new();

    /// <summary>The scope of the current async flow, if any.</summary>
    public static AgentCallScope? Current => CurrentScope.Value;

    /// <summary>Sets the scope for the current async flow until the returned handle is disposed.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="agent">The conversation.</param>
    /// <returns>Restores the previous scope when disposed.</returns>
    public static IDisposable Enter(string runId, string agent)
    {
        var previous = CurrentScope.Value;
        CurrentScope.Value = new AgentCallScope(runId, agent);
        return new Restore(previous);
    }

    private sealed class Restore(AgentCallScope? previous) : IDisposable
    {
        public void Dispose() => CurrentScope.Value = previous;
    }
}
