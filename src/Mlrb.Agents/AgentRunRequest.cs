using Microsoft.Extensions.AI;

namespace Mlrb.Agents;

/// <summary>What one agent run works on.</summary>
public sealed record AgentRunRequest
{
    /// <summary>Run id; generated when null. Usually the name of the workspace folder.</summary>
    public string? RunId { get; init; }

    /// <summary>Task name, e.g. <c>mini_baby_lm</c>.</summary>
    public required string TaskName { get; init; }

    /// <summary>The rendered task prompt the agent is given.</summary>
    public required string TaskPrompt { get; init; }

    /// <summary>Absolute path of the run's workspace (the tools are bound to it).</summary>
    public required string WorkspacePath { get; init; }

    /// <summary>
    /// The tools the workers may call. A tool named <see cref="MlrbAgentsOptions.SubmissionToolName"/> (<c>return_fn</c>) is
    /// used for the submission when present; otherwise the agent supplies its own.
    /// </summary>
    public required IReadOnlyList<AITool> Tools { get; init; }

    /// <summary>The agent's name in results tables (e.g. <c>--label</c>); null uses <c>provider/model</c>.</summary>
    public string? Label { get; init; }

    /// <summary>Hardware and software the run uses, as JSON, stored with the run.</summary>
    public string? EnvironmentJson { get; init; }

    /// <summary>Receives a snapshot after every step.</summary>
    public IProgress<AgentProgress>? Progress { get; init; }
}
