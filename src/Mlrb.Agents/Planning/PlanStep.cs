using System.ComponentModel;

namespace Mlrb.Agents.Planning;

/// <summary>One subtask of a <see cref="ResearchPlan"/>.</summary>
internal sealed record PlanStep
{
    /// <summary>Number of the subtask, unique in the plan (1, 2, ...).</summary>
    [Description("Unique number of the subtask: 1, 2, 3, ...")]
    public required int Id { get; init; }

    /// <summary>A short title.</summary>
    [Description("A short title.")]
    public required string Title { get; init; }

    /// <summary>What the worker must do, concretely (models, datasets, libraries, files, tools).</summary>
    [Description("Concrete, actionable instructions: models, datasets, libraries, file names and tools to use.")]
    public required string Instruction { get; init; }

    /// <summary>Ids of subtasks that must be finished first; independent subtasks may run in parallel.</summary>
    [Description("Ids of the subtasks that must be finished before this one can start (empty when independent).")]
    public IReadOnlyList<int> DependsOn { get; init; } = [];
}
