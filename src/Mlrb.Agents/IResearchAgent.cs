namespace Mlrb.Agents;

/// <summary>
/// The supervisor/worker agent: plans a research task, hands subtasks to workers that call tools, reviews their results,
/// re-plans when they fail, and ends with a typed submission or when the budget is spent. Every step goes to the run store.
/// </summary>
public interface IResearchAgent
{
    /// <summary>Starts a new run and works until it ends.</summary>
    /// <param name="request">Task, workspace and tools.</param>
    /// <param name="cancellationToken">Stops the run (recorded as cancelled).</param>
    /// <returns>The result, also written to the run store.</returns>
    Task<AgentRunResult> RunAsync(AgentRunRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Continues a run that was stopped or killed, from its last completed step: completed tool calls are not repeated.
    /// The task prompt comes from the stored run; <paramref name="request"/> supplies the tools again.
    /// </summary>
    /// <param name="runId">The run to continue.</param>
    /// <param name="request">The tools and progress sink (its task fields are ignored).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The result.</returns>
    Task<AgentRunResult> ResumeAsync(string runId, AgentRunRequest request, CancellationToken cancellationToken = default);
}
