using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.Planning;
using Mlrb.Agents.Providers;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Runs;

/// <summary>The <see cref="IResearchAgent"/>: wires providers, middleware, budget and store around the supervisor.</summary>
internal sealed partial class ResearchAgent : IResearchAgent
{
    private readonly MlrbAgentsOptions _options;
    private readonly IRunStore _store;
    private readonly RoleClientSource _clients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the agent.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="store">The run store.</param>
    /// <param name="clients">Creates provider clients.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="hostClients">The host's own clients by role (keyed services), used when the options name none.</param>
    public ResearchAgent(MlrbAgentsOptions options, IRunStore store, IChatClientFactory clients, TimeProvider time, ILogger<ResearchAgent>? logger = null, Func<AgentRole, IChatClient?>? hostClients = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid agent options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _store = store;
        _clients = new RoleClientSource(options, clients, hostClients);
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<AgentRunResult> RunAsync(AgentRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Clients first: a missing key fails here, before a run row exists.
        var (planner, worker) = CreateClients();
        var now = _time.GetUtcNow();
        var runId = request.RunId ?? NewRunId(now);
        var run = new RunRecord
        {
            RunId = runId,
            TaskName = request.TaskName,
            WorkspacePath = request.WorkspacePath,
            Provider = worker.Provider,
            Model = worker.Model,
            StartedAt = now,
            TimeLimit = _options.TimeLimit,
            Label = request.Label,
            EnvironmentJson = request.EnvironmentJson,
            MetadataJson = new RunMetadata(request.TaskPrompt, planner.Name, worker.Name, now, 0).ToJson(),
        };
        await _store.CreateRunAsync(run, cancellationToken).ConfigureAwait(false);
        LogStarted(runId, request.TaskName);
        return await ExecuteAsync(run, request.TaskPrompt, request, new SupervisorState(), TimeSpan.Zero, 0, planner, worker, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AgentRunResult> ResumeAsync(string runId, AgentRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(request);
        var run = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"There is no run '{runId}' in the run store.");
        var metadata = RunMetadata.Parse(run.MetadataJson, runId);
        var steps = await _store.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false);
        var messages = await _store.GetMessagesAsync(runId, cancellationToken).ConfigureAwait(false);
        var state = SupervisorState.FromSteps(steps);
        if (run.Status == RunStatus.Completed && run.ResultJson is not null)
        {
            return AgentRunResult.FromJson(run.ResultJson);
        }

        // Active time: earlier sessions plus this run's last session up to its last recorded activity.
        var lastActivity = steps.Select(s => s.CompletedAt ?? s.StartedAt).Concat(messages.Select(m => m.CreatedAt)).DefaultIfEmpty(metadata.SessionStartedAt).Max();
        var used = TimeSpan.FromSeconds(metadata.ActiveSecondsBefore) + (lastActivity - metadata.SessionStartedAt);
        if (used < TimeSpan.Zero)
        {
            used = TimeSpan.Zero;
        }

        var (planner, worker) = CreateClients();
        var now = _time.GetUtcNow();
        run = run with
        {
            Status = RunStatus.Running,
            FinishedAt = null,
            StopReason = null,
            Outcome = null,
            OutcomeDetail = null,
            Score = null,
            MetadataJson = (metadata with { SessionStartedAt = now, ActiveSecondsBefore = used.TotalSeconds }).ToJson(),
        };
        await _store.UpdateRunAsync(run, cancellationToken).ConfigureAwait(false);
        LogResumed(runId, steps.Count, used);
        return await ExecuteAsync(run, metadata.TaskPrompt, request, state, used, steps.Count, planner, worker, cancellationToken).ConfigureAwait(false);
    }

    private (RoleClient Planner, RoleClient Worker) CreateClients()
    {
        var planner = _clients.Create(AgentRole.Planner);
        try
        {
            return (planner, _clients.Create(AgentRole.Worker));
        }
        catch
        {
            planner.Client.Dispose();
            throw;
        }
    }

    private async Task<AgentRunResult> ExecuteAsync(RunRecord run, string taskPrompt, AgentRunRequest request, SupervisorState state, TimeSpan usedBefore, int stepsSoFar, RoleClient plannerClient, RoleClient workerClient, CancellationToken cancellationToken)
    {
        using var activity = AgentTelemetry.Source.StartActivity("mlrb.agent.run");
        activity?.SetTag(AgentTelemetry.RunIdTag, run.RunId);
        activity?.SetTag(AgentTelemetry.TaskTag, run.TaskName);
        activity?.SetTag("gen_ai.agent.name", "mlrb-research-agent");
        activity?.SetTag("mlrb.run.resumed", stepsSoFar > 0);
        var meter = new UsageMeter(_options.Prices, run.InputTokens, run.OutputTokens, run.CostUsd ?? 0);
        var budget = new RunBudget(_time, _time.GetUtcNow() - usedBefore, run.TimeLimit ?? _options.TimeLimit, _options.FinalSubmissionReserve, meter, _options.MaxTotalTokens, _options.MaxCostUsd);
        using var context = new RunContext(run, taskPrompt, _store, budget, _options, request.Progress, stepsSoFar);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.Abort);
        var tools = ObservedTool.Wrap(request.Tools, context, _options.MaxSandboxFailures);

        SupervisorOutcome outcome;
        Exception? failure = null;
        using (var planner = Pipeline(plannerClient.Client, budget, context))
        using (var worker = Pipeline(workerClient.Client, budget, context))
        {
            try
            {
                outcome = await new Supervisor(planner, worker, context, tools).RunAsync(state, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.AbortReason is { } abort)
            {
                outcome = new SupervisorOutcome(RunStatus.Failed, abort, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcome = new SupervisorOutcome(RunStatus.Cancelled, "cancelled by the user", null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex, run.RunId);
                failure = ex;
                var provider = ReferenceEquals(ex, context.ProviderFailure) || ex is ModelCallFailedException or HttpRequestException;
                outcome = new SupervisorOutcome(RunStatus.Failed, (provider ? "model call failed: " : "run failed: ") + ex.Message, null);
            }
        }

        var (benchmarkOutcome, outcomeDetail) = RunOutcomeClassifier.Classify(outcome.Status, outcome.StopReason, outcome.Submission, failure, context, _options.SubmissionToolName);
        var steps = await _store.GetStepsAsync(run.RunId, CancellationToken.None).ConfigureAwait(false);
        var result = new AgentRunResult
        {
            TaskName = run.TaskName,
            RunId = run.RunId,
            Status = outcome.Status,
            StopReason = outcome.StopReason,
            Submission = outcome.Submission,
            InputTokens = meter.InputTokens,
            OutputTokens = meter.OutputTokens,
            CostUsd = meter.CostUsd,
            Actions = steps.Count(s => s.Kind == "tool"),
            Elapsed = budget.Elapsed,
            Model = workerClient.Name,
            WorkspacePath = run.WorkspacePath,
            Outcome = benchmarkOutcome,
            OutcomeDetail = outcomeDetail,
            Label = run.Label,
        };

        var stored = await _store.GetRunAsync(run.RunId, CancellationToken.None).ConfigureAwait(false) ?? run;
        await _store.UpdateRunAsync(
            stored with
            {
                Status = outcome.Status,
                FinishedAt = _time.GetUtcNow(),
                StopReason = outcome.StopReason,
                InputTokens = meter.InputTokens,
                OutputTokens = meter.OutputTokens,
                CostUsd = meter.CostUsd,
                ResultJson = result.ToJson(),
                Outcome = benchmarkOutcome,
                OutcomeDetail = outcomeDetail,
                Score = null,
            },
            CancellationToken.None).ConfigureAwait(false);
        activity?.SetTag(AgentTelemetry.StatusTag, outcome.Status.ToString());
        activity?.SetTag("gen_ai.usage.input_tokens", meter.InputTokens);
        activity?.SetTag("gen_ai.usage.output_tokens", meter.OutputTokens);
        if (outcome.Status == RunStatus.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.StopReason);
        }

        LogFinished(run.RunId, outcome.Status, outcome.StopReason);
        return result;
    }

    private IChatClient Pipeline(IChatClient provider, RunBudget budget, RunContext context)
        => new ChatClientPipelineBuilder(provider)
            .Use(c => new ProviderFailureObserver(c, context))
            .Use(c => new BudgetChatClient(c, budget))
            .Use(c => new UsageChatClient(c, budget.Meter))
            .Use(c => new TranscriptChatClient(c, _store, _time))
            .Use(c => new ResilientChatClient(c, _options.MaxModelRetries, _options.MaxRetryDelay, _time, (attempt, delay, ex) => LogRetry(attempt, delay, ex?.Message)))
            // Innermost: one GenAI semantic-convention span per request sent (each retry attempt is its own span).
            .Use(c => new OpenTelemetryChatClient(c, sourceName: AgentTelemetry.Name))
            .Build();

    private static string NewRunId(DateTimeOffset now)
        => now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} started on task {Task}")]
    private partial void LogStarted(string runId, string task);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} resumed after {Steps} recorded steps ({Used} already used)")]
    private partial void LogResumed(string runId, int steps, TimeSpan used);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended: {Status} ({Reason})")]
    private partial void LogFinished(string runId, RunStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model call retry {Attempt} in {Delay}: {Cause}")]
    private partial void LogRetry(int attempt, TimeSpan delay, string? cause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed")]
    private partial void LogFailed(Exception exception, string runId);
}
