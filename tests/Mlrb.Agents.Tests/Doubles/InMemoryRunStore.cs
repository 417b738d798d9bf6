using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Tests.Doubles;

/// <summary>An <see cref="IRunStore"/> in memory, with the same contract as the SQLite store (ids assigned on insert).</summary>
internal sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunRecord> _runs = [];
    private readonly List<StepRecord> _steps = [];
    private readonly List<MessageRecord> _messages = [];
    private readonly List<EvaluationRecord> _evaluations = [];

    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.TryAdd(run.RunId, run))
            {
                throw new InvalidOperationException($"run {run.RunId} exists");
            }
        }

        return Task.CompletedTask;
    }

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(runId));
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values.OrderByDescending(r => r.StartedAt).ToList());
        }
    }

    public Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.ContainsKey(run.RunId))
            {
                throw new InvalidOperationException($"no run {run.RunId}");
            }

            _runs[run.RunId] = run;
        }

        return Task.CompletedTask;
    }

    public Task<long> AddStepAsync(StepRecord stepRecord, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var id = _steps.Count + 1;
            _steps.Add(stepRecord with { Id = id });
            return Task.FromResult((long)id);
        }
    }

    public Task CompleteStepAsync(long stepId, StepCompletion completion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var step = _steps[(int)stepId - 1];
            _steps[(int)stepId - 1] = step with
            {
                Status = completion.Status,
                OutputExcerpt = completion.OutputExcerpt,
                ErrorExcerpt = completion.ErrorExcerpt,
                CompletedAt = completion.CompletedAt,
                InputTokens = step.InputTokens + completion.InputTokens,
                OutputTokens = step.OutputTokens + completion.OutputTokens,
            };
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StepRecord>>(_steps.Where(s => s.RunId == runId).ToList());
        }
    }

    public Task<long> AddMessageAsync(MessageRecord message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var id = _messages.Count + 1;
            _messages.Add(message with { Id = id });
            return Task.FromResult((long)id);
        }
    }

    public Task<IReadOnlyList<MessageRecord>> GetMessagesAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<MessageRecord>>(_messages.Where(m => m.RunId == runId).ToList());
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task<long> AddEvaluationAsync(EvaluationRecord evaluation, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.ContainsKey(evaluation.RunId))
            {
                throw new InvalidOperationException($"no run {evaluation.RunId}");
            }

            var stored = evaluation with { Id = _evaluations.Count + 1 };
            _evaluations.Add(stored);
            return Task.FromResult(stored.Id);
        }
    }

    public Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<EvaluationRecord>>(_evaluations.Where(e => e.RunId == runId).ToList());
        }
    }
}
