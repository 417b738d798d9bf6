namespace Mlrb.Tasks;

/// <summary>
/// Renders the prompts of an agent run: the task prompt, the supervisor's and the worker's system prompts, and the
/// per-turn worker prompt. Every field of the task is rendered, the working directory appears as a real path and the
/// time budget comes from the task (or the context's override), never from a constant.
/// </summary>
public interface IPromptRenderer
{
    /// <summary>The task as the agent reads it: goal, data, models, libraries, compute, time, result, evaluation, rules.</summary>
    /// <param name="task">The task.</param>
    /// <param name="context">The run's working directory, time budget and tools.</param>
    /// <returns>The prompt text.</returns>
    string RenderTaskPrompt(ResearchTask task, PromptContext context);

    /// <summary>The supervisor's system prompt: how to plan the task for the worker.</summary>
    /// <param name="task">The task.</param>
    /// <param name="context">The run's working directory, time budget and tools.</param>
    /// <returns>The prompt text.</returns>
    string RenderSupervisorSystemPrompt(ResearchTask task, PromptContext context);

    /// <summary>The worker's system prompt: how to work, where, with which tools, and when to submit.</summary>
    /// <param name="task">The task.</param>
    /// <param name="context">The run's working directory, time budget and tools.</param>
    /// <returns>The prompt text.</returns>
    string RenderWorkerSystemPrompt(ResearchTask task, PromptContext context);

    /// <summary>The worker prompt for one turn: time spent and left, the plan, recent actions and the last result.</summary>
    /// <param name="task">The task.</param>
    /// <param name="context">The run's working directory, time budget and tools.</param>
    /// <param name="state">Where the run stands.</param>
    /// <returns>The prompt text.</returns>
    string RenderWorkerTurnPrompt(ResearchTask task, PromptContext context, WorkerTurnState state);
}
