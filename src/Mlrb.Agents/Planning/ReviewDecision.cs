using System.ComponentModel;

namespace Mlrb.Agents.Planning;

/// <summary>The supervisor's verdict on a worker's result.</summary>
internal sealed record ReviewDecision
{
    /// <summary>Move on to the next subtask.</summary>
    public const string Accept = "accept";

    /// <summary>Run the same subtask again, with the notes.</summary>
    public const string Retry = "retry";

    /// <summary>Make a new plan for the rest of the task.</summary>
    public const string Replan = "replan";

    /// <summary><c>accept</c>, <c>retry</c> or <c>replan</c>.</summary>
    [Description("accept (move on), retry (same subtask again, with your notes) or replan (the rest of the plan must change).")]
    public required string Verdict { get; init; }

    /// <summary>Guidance for the retry or the new plan.</summary>
    [Description("Short guidance: what was wrong and what to do differently.")]
    public string? Notes { get; init; }
}
