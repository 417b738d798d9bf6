using System.ComponentModel;

namespace Mlrb.Agents.Planning;

/// <summary>The supervisor's plan: ordered subtasks, each small enough for one worker conversation.</summary>
internal sealed record ResearchPlan
{
    /// <summary>Why the plan looks the way it does (one or two sentences).</summary>
    [Description("One or two sentences on the approach.")]
    public string? Rationale { get; init; }

    /// <summary>The subtasks, in the order they should run.</summary>
    [Description("The subtasks, in order. 2 to 8 is typical.")]
    public required IReadOnlyList<PlanStep> Steps { get; init; }
}
