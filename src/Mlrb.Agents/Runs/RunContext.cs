using Mlrb.Agents.Budgets;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Runs;

/// <summary>Everything the parts of one run share: ids, store, budget, clock and progress. Thread-safe.</summary>
internal sealed class RunContext
{
    private int _steps;

    /// <summary>Creates the context.</summary>
    /// <param name="run">The stored run.</param>
    /// <param name="taskPrompt">The task prompt.</param>
    /// <param name="store">The run store.</param>
    /// <param name="budget">The budget.</param>
    /// <param name="options">Agent options.</param>
    /// <param name="progress">Progress sink.</param>
    /// <param name="stepsSoFar">Steps already recorded (resumed runs).</param>
    public RunContext(RunRecord run, string taskPrompt, IRunStore store, RunBudget budget, AgentOptions options, IProgress<AgentProgress>? progress, int stepsSoFar = 0)
    {
        Run = run;
        TaskPrompt = taskPrompt;
        Store = store;
        Budget = budget;
        Options = options;
        Progress = progress;
        _steps = stepsSoFar;
    }

    /// <summary>The run as created.</summary>
    public RunRecord Run { get; }

    /// <summary>The run id.</summary>
    public string RunId => Run.RunId;

    /// <summary>The task prompt.</summary>
    public string TaskPrompt { get; }

    /// <summary>The store.</summary>
    public IRunStore Store { get; }

    /// <summary>The budget (and its clock and meter).</summary>
    public RunBudget Budget { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time => Budget.TimeProvider;

    /// <summary>Options.</summary>
    public AgentOptions Options { get; }

    /// <summary>Progress sink.</summary>
    public IProgress<AgentProgress>? Progress { get; }

    /// <summary>Steps recorded so far.</summary>
    public int Steps => Volatile.Read(ref _steps);

    /// <summary>Records a started step and reports progress.</summary>
    /// <param name="agent">Who acts.</param>
    /// <param name="kind">plan, tool, subtask, review, submission, note.</param>
    /// <param name="activity">Progress text.</param>
    /// <param name="tool">Tool name for tool steps.</param>
    /// <param name="callId">The model's call id for tool steps.</param>
    /// <param name="argumentsJson">Arguments or payload.</param>
    /// <param name="inputTokens">Input tokens of the model call behind the step.</param>
    /// <param name="outputTokens">Output tokens of the model call behind the step.</param>
    /// <returns>The step id.</returns>
    public async Task<long> StartStepAsync(string agent, string kind, string activity, string? tool = null, string? callId = null, string? argumentsJson = null, long inputTokens = 0, long outputTokens = 0)
    {
        var id = await Store.AddStepAsync(new StepRecord
        {
            RunId = RunId,
            Agent = agent,
            Kind = kind,
            Tool = tool,
            CallId = callId,
            ArgumentsJson = argumentsJson,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            StartedAt = Time.GetUtcNow(),
        }).ConfigureAwait(false);
        Interlocked.Increment(ref _steps);
        Report(agent, activity, tool);
        return id;
    }

    /// <summary>Completes a step and saves the running totals on the run row.</summary>
    /// <param name="stepId">The step.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    /// <param name="output">Output (capped by the caller).</param>
    /// <param name="error">Error text.</param>
    /// <returns>A task.</returns>
    public async Task CompleteStepAsync(long stepId, bool succeeded, string? output, string? error = null)
    {
        await Store.CompleteStepAsync(stepId, new StepCompletion(succeeded ? StepStatus.Succeeded : StepStatus.Failed, output, error, Time.GetUtcNow())).ConfigureAwait(false);
        await SaveTotalsAsync().ConfigureAwait(false);
    }

    /// <summary>Records a completed one-shot step (plan, review, note).</summary>
    /// <param name="agent">Who.</param>
    /// <param name="kind">Kind.</param>
    /// <param name="activity">Progress text.</param>
    /// <param name="argumentsJson">Payload.</param>
    /// <param name="output">Output text.</param>
    /// <param name="succeeded">Status.</param>
    /// <returns>A task.</returns>
    public async Task RecordStepAsync(string agent, string kind, string activity, string? argumentsJson, string? output, bool succeeded = true)
    {
        var id = await StartStepAsync(agent, kind, activity, argumentsJson: argumentsJson).ConfigureAwait(false);
        await CompleteStepAsync(id, succeeded, output).ConfigureAwait(false);
    }

    /// <summary>Writes the meter's totals to the run row.</summary>
    /// <returns>A task.</returns>
    public async Task SaveTotalsAsync()
    {
        var current = await Store.GetRunAsync(RunId).ConfigureAwait(false) ?? Run;
        await Store.UpdateRunAsync(current with
        {
            InputTokens = Budget.Meter.InputTokens,
            OutputTokens = Budget.Meter.OutputTokens,
            CostUsd = Budget.Meter.CostUsd,
        }).ConfigureAwait(false);
    }

    /// <summary>Reports progress.</summary>
    /// <param name="agent">Who.</param>
    /// <param name="activity">What.</param>
    /// <param name="tool">Tool, if any.</param>
    public void Report(string agent, string activity, string? tool = null) => Progress?.Report(new AgentProgress
    {
        RunId = RunId,
        Step = Steps,
        Agent = agent,
        Activity = activity,
        Tool = tool,
        Elapsed = Budget.Elapsed,
        Remaining = Budget.Remaining,
        InputTokens = Budget.Meter.InputTokens,
        OutputTokens = Budget.Meter.OutputTokens,
        CostUsd = Budget.Meter.CostUsd,
    });
}
