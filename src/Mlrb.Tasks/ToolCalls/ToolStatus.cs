namespace Mlrb.Tasks.ToolCalls;

/// <summary>How a tool call ended. Shared by the tools (<c>Mlrb.Tools</c>) and the agent (<c>Mlrb.Agents</c>).</summary>
public enum ToolStatus
{
    /// <summary>The work was done.</summary>
    Success,

    /// <summary>Bad input, a failed command, a refused path, an HTTP error.</summary>
    Failure,

    /// <summary>The call ran past its time limit and was killed.</summary>
    TimedOut,
}
