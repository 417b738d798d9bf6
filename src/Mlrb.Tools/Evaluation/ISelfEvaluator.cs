namespace Mlrb.Tools.Evaluation;

/// <summary>
/// Scores a model folder from the agent's workspace for the <c>evaluate</c> tool: the run's task, its validation split,
/// a few documents per subtask. Registering one (e.g. <c>services.AddSingleton&lt;ISelfEvaluator, MyEvaluator&gt;()</c>)
/// next to <c>AddMlrbTools</c> adds <c>evaluate</c> to the tools <see cref="IToolFactory"/> creates; without one the tool is
/// not offered. The tool has already confined the folder to the workspace, checked that it exists and capped the limit
/// and time; an implementation scores (the <c>mlrb</c> CLI's runs <c>mlrb eval --split validation</c> in a child process)
/// and returns what the agent reads.
/// </summary>
public interface ISelfEvaluator
{
    /// <summary>Scores the model folder of <paramref name="request"/>.</summary>
    /// <param name="request">The run, the model folder, the document limit and the time limit.</param>
    /// <param name="cancellationToken">Cancels the scoring; any child process must be killed.</param>
    /// <returns>
    /// The result for the agent (the tool caps its text): success with the scores; a failure with a readable reason when
    /// the model could not be scored (no evaluation data, a rule broken, a crash); <see cref="Mlrb.Tasks.ToolCalls.ToolStatus.TimedOut"/>
    /// past <see cref="SelfEvaluationRequest.Timeout"/>. Should not throw for a bad model: the tool turns exceptions into failures.
    /// </returns>
    Task<ToolResult> EvaluateAsync(SelfEvaluationRequest request, CancellationToken cancellationToken = default);
}
