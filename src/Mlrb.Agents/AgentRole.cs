namespace Mlrb.Agents;

/// <summary>
/// The two model roles of the research agent. Each may talk to a different chat client: pass one per role to
/// <see cref="MlrbAgentsOptions.UseChatClient(Func{AgentRole, Microsoft.Extensions.AI.IChatClient?})"/>, register a keyed
/// <c>IChatClient</c> with the role as its key, or give <see cref="ResearchAgentBuilder"/> one.
/// </summary>
public enum AgentRole
{
    /// <summary>The supervisor, which plans, reviews and re-plans (structured output, no tools).</summary>
    Planner,

    /// <summary>The workers, which call the tools to carry out each subtask.</summary>
    Worker,
}
