using System.Collections.Concurrent;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.ToolLoop;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Runs;

/// <summary>
/// Everything the parts of one run share: ids, store, budget, clock and progress, and what the run's outcome is
/// classified from (conversation ends, failed tool calls, provider and sandbox failures). Thread-safe.
/// </summary>
internal sealed class RunContext : IDisposable
{
    private readonly ConcurrentDictionary<long, string> _toolStepAgents = new();
    private readonly ConcurrentDictionary<string, int> _failedToolCalls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _toolCalls = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private readonly List<(string Agent, bool Final, LoopOutcome Outcome)> _conversations = [];
    private int _steps;
    private int _consecutiveSandboxFailures;

    /// <summary>Creates the context.</summary>
    /// <param name="run">The stored run.</param>
    /// <param name="taskPrompt">The task prompt.</param>
    /// <param name="store">The run store.</param>
    /// <param name="budget">The budget.</param>
    /// <param name="options">Agent options.</param>
    /// <param name="progress">Progress sink.</param>
    /// <param name="stepsSoFar">Steps already recorded (resumed runs).</param>
    public RunContext(RunRecord run, string taskPrompt, IRunStore store, RunBudget budget, MlrbAgentsOptions options, IProgress<AgentProgress>? progress, int stepsSoFar = 0)
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
    public MlrbAgentsOptions Options { get; }

    /// <summary>Progress sink.</summary>
    public IProgress<AgentProgress>? Progress { get; }

    /// <summary>Steps recorded so far.</summary>
    public int Steps => Volatile.Read(ref _steps);

    /// <summary>Cancelled when the run must stop because its infrastructure failed (see <see cref="AbortReason"/>).</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>Why the run was aborted, or null.</summary>
    public string? AbortReason { get; private set; }

    /// <summary>The last exception a model call ended with (after retries), or null.</summary>
    public Exception? ProviderFailure { get; private set; }

    /// <summary>Sandbox failures so far.</summary>
    public int SandboxFailures { get; private set; }

    /// <summary>The last sandbox failure, in words.</summary>
    public string? LastSandboxFailure { get; private set; }

    /// <summary>Worker conversations that ended, in order: agent, whether it was the final-submission request, and how it ended.</summary>
    public IReadOnlyList<(string Agent, bool Final, LoopOutcome Outcome)> Conversations
    {
        get
        {
            lock (_gate)
            {
                return [.. _conversations];
            }
        }
    }

    /// <summary>Tool calls an agent made, and how many of them failed.</summary>
    /// <param name="agent">The agent.</param>
    /// <returns>Calls and failures.</returns>
    public (int Calls, int Failed) ToolCallsOf(string agent) => (_toolCalls.GetValueOrDefault(agent), _failedToolCalls.GetValueOrDefault(agent));

    /// <summary>Records how a worker conversation ended.</summary>
    /// <param name="agent">The worker.</param>
    /// <param name="final">Whether it was the final-submission request.</param>
    /// <param name="outcome">How it ended.</param>
    public void RecordConversationEnd(string agent, bool final, LoopOutcome outcome)
    {
        lock (_gate)
        {
            _conversations.Add((agent, final, outcome));
        }
    }

    /// <summary>Records the exception a model call ended with.</summary>
    /// <param name="exception">The failure.</param>
    public void RecordProviderFailure(Exception exception) => ProviderFailure = exception;

    /// <summary>Records a tool call that worked (it resets the count of consecutive sandbox failures).</summary>
    public void RecordToolInfrastructureOk() => Interlocked.Exchange(ref _consecutiveSandboxFailures, 0);

    /// <summary>Records a sandbox failure; aborts the run after <paramref name="limit"/> in a row.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="exception">The failure.</param>
    /// <param name="limit">Consecutive failures that end the run.</param>
    public void RecordSandboxFailure(string tool, Exception exception, int limit)
    {
        lock (_gate)
        {
            SandboxFailures++;
            LastSandboxFailure = $"{tool}: {exception.Message}";
        }

        if (Interlocked.Increment(ref _consecutiveSandboxFailures) >= limit && AbortReason is null)
        {
            AbortReason = $"the tool sandbox failed {limit} times in a row (last: {LastSandboxFailure})";
            _abort.Cancel();
        }
    }

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
        if (kind == "tool")
        {
            _toolStepAgents[id] = agent;
            _toolCalls.AddOrUpdate(agent, 1, (_, n) => n + 1);
        }

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
        if (!succeeded && _toolStepAgents.TryGetValue(stepId, out var agent))
        {
            _failedToolCalls.AddOrUpdate(agent, 1, (_, n) => n + 1);
        }

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

    /// <inheritdoc />
    public void Dispose() => _abort.Dispose();
}
