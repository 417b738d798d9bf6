namespace Mlrb.Tasks.Storage;

/// <summary>
/// Durable record of agent runs: one row per run (with its outcome and score), one per step (tool call, plan, review),
/// one per chat message and one per evaluation of the run's submission.
/// Every write is committed before the call returns, so a process killed mid-run loses nothing already acknowledged.
/// </summary>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>Creates a run row; fails when <see cref="RunRecord.RunId"/> already exists.</summary>
    /// <param name="run">The run to insert.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Returns the run with this id, or <see langword="null"/> when there is none.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists runs, newest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the mutable columns of a run (status, end time, stop reason, totals, result).</summary>
    /// <param name="run">The run with its new values; matched by <see cref="RunRecord.RunId"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Appends a step and returns its database id.</summary>
    /// <param name="stepRecord">The step; its <see cref="StepRecord.Id"/> is ignored.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<long> AddStepAsync(StepRecord stepRecord, CancellationToken cancellationToken = default);

    /// <summary>Records the outcome of a started step.</summary>
    /// <param name="stepId">The id <see cref="AddStepAsync"/> returned.</param>
    /// <param name="completion">Status, output excerpts, tokens and end time.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task CompleteStepAsync(long stepId, StepCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Returns the steps of a run in the order they were added.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Appends a chat message (request or response) to a run's transcript and returns its id.</summary>
    /// <param name="message">The message; its <see cref="MessageRecord.Id"/> is ignored.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<long> AddMessageAsync(MessageRecord message, CancellationToken cancellationToken = default);

    /// <summary>Returns the transcript of a run in the order it was written.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<MessageRecord>> GetMessagesAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Appends an evaluation of a run's submission and returns its id (the run's outcome is set separately, with <see cref="UpdateRunAsync"/>).</summary>
    /// <param name="evaluation">The evaluation; its <see cref="EvaluationRecord.Id"/> is ignored.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<long> AddEvaluationAsync(EvaluationRecord evaluation, CancellationToken cancellationToken = default);

    /// <summary>Returns the evaluations of a run, oldest first.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsAsync(string runId, CancellationToken cancellationToken = default);
}
