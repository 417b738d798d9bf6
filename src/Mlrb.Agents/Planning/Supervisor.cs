using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.ToolLoop;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.Runs;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Agents.Planning;

/// <summary>
/// Plans with structured output, hands ready subtasks to workers (several at once when
/// <see cref="MlrbAgentsOptions.ParallelWorkers"/> allows), reviews each result, retries or re-plans on failure or stall,
/// and finishes on a submission, or asks for a final one when the plan or the budget runs out.
/// </summary>
internal sealed class Supervisor
{
    private const string SupervisorAgent = "supervisor";
    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly IChatClient _planner;
    private readonly IChatClient _worker;
    private readonly RunContext _run;
    private readonly IReadOnlyList<AITool> _tools;
    private readonly Lock _stateGate = new();

    /// <summary>Creates the supervisor.</summary>
    /// <param name="planner">The planner's client (with middleware).</param>
    /// <param name="worker">The workers' client (with middleware).</param>
    /// <param name="run">The run.</param>
    /// <param name="tools">The workers' tools.</param>
    public Supervisor(IChatClient planner, IChatClient worker, RunContext run, IReadOnlyList<AITool> tools)
    {
        _planner = planner;
        _worker = worker;
        _run = run;
        _tools = tools;
    }

    private MlrbAgentsOptions Options => _run.Options;

    private RunBudget Budget => _run.Budget;

    /// <summary>Works the task until a submission, or until the plan or the budget runs out.</summary>
    /// <param name="state">Fresh, or rebuilt from the store for a resumed run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>How it ended.</returns>
    public async Task<SupervisorOutcome> RunAsync(SupervisorState state, CancellationToken cancellationToken)
    {
        if (state.Submission is { } done)
        {
            return new SupervisorOutcome(RunStatus.Completed, "submitted", done);
        }

        if (state.OpenFinal is not null)
        {
            return await FinalSubmissionAsync(state, state.FinalReason ?? "the budget ended", cancellationToken).ConfigureAwait(false);
        }

        string? stopReason = null;
        try
        {
            if (state.Plan is null || state.NeedsReplan)
            {
                await PlanAsync(state, cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                stopReason = Budget.WorkStopReason();
                if (stopReason is not null)
                {
                    break;
                }

                var batch = NextBatch(state);
                if (batch.Count == 0)
                {
                    stopReason = "every subtask of the plan was finished without a submission";
                    break;
                }

                var outcome = await RunBatchAsync(state, batch, cancellationToken).ConfigureAwait(false);
                if (outcome is not null)
                {
                    if (outcome.Status == RunStatus.Completed)
                    {
                        return outcome;
                    }

                    stopReason = outcome.StopReason;
                    break;
                }

                if (state.NeedsReplan)
                {
                    if (state.PlanVersion - 1 >= Options.MaxReplans)
                    {
                        AbandonUnresolved(state);
                        state.NeedsReplan = false;
                        continue;
                    }

                    await PlanAsync(state, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (BudgetExhaustedException ex)
        {
            stopReason = ex.Reason;
        }

        return await FinalSubmissionAsync(state, stopReason, cancellationToken).ConfigureAwait(false);
    }

    private static List<WorkItem> NextBatch(SupervisorState state, int limit = int.MaxValue)
    {
        var items = new List<WorkItem>();
        foreach (var open in state.Open)
        {
            if (state.Plan!.Steps.FirstOrDefault(s => s.Id == open.Subtask) is { } step)
            {
                items.Add(new WorkItem(step, open.Attempt, open));
            }
        }

        state.Open.Clear();
        foreach (var step in state.Plan!.Steps)
        {
            if (items.Count >= limit)
            {
                break;
            }

            var resolved = state.Results.TryGetValue(step.Id, out var result) && result.Resolved;
            var running = items.Any(i => i.Step.Id == step.Id);
            var ready = step.DependsOn.All(d => !state.Plan.Steps.Any(s => s.Id == d) || (state.Results.TryGetValue(d, out var r) && r.Resolved));
            if (!resolved && !running && ready)
            {
                items.Add(new WorkItem(step, state.Attempts.GetValueOrDefault(step.Id) + 1, null));
            }
        }

        return items;
    }

    private static void AbandonUnresolved(SupervisorState state)
    {
        foreach (var step in state.Plan!.Steps)
        {
            if (state.Results.TryGetValue(step.Id, out var result) && !result.Resolved)
            {
                state.Record(step.Id, result with { Verdict = SubtaskResult.Abandon, Notes = "no re-plans left" });
            }
        }
    }

    private async Task<SupervisorOutcome?> RunBatchAsync(SupervisorState state, List<WorkItem> candidates, CancellationToken cancellationToken)
    {
        var batch = candidates.Take(Options.ParallelWorkers).ToList();
        foreach (var skipped in candidates.Skip(Options.ParallelWorkers).Where(c => c.Open is not null))
        {
            state.Open.Add(skipped.Open!);
        }

        using var batchCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = batch.Select(item => RunSubtaskAsync(state, item, batchCancel)).ToList();
        var outcomes = await Task.WhenAll(tasks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        if (outcomes.FirstOrDefault(o => o?.Kind == LoopOutcomeKind.Submitted) is { } submitted)
        {
            await RecordSubmissionAsync(submitted.Submission!).ConfigureAwait(false);
            return new SupervisorOutcome(RunStatus.Completed, "submitted", submitted.Submission);
        }

        if (outcomes.FirstOrDefault(o => o?.Kind == LoopOutcomeKind.BudgetExhausted) is { } exhausted)
        {
            return new SupervisorOutcome(RunStatus.BudgetExhausted, exhausted.Summary, null);
        }

        return null;
    }

    private async Task<LoopOutcome?> RunSubtaskAsync(SupervisorState state, WorkItem item, CancellationTokenSource batchCancel)
    {
        string agent;
        long stepId;
        List<ChatMessage> history;
        if (item.Open is { } open)
        {
            agent = open.Agent;
            stepId = open.StepId;
            history = SupervisorState.Conversation(await _run.Store.GetMessagesAsync(_run.RunId, CancellationToken.None).ConfigureAwait(false), agent);
        }
        else
        {
            lock (_stateGate)
            {
                agent = $"worker-{++state.WorkerCount}";
                state.Attempts[item.Step.Id] = item.Attempt;
            }

            stepId = await _run.StartStepAsync(agent, "subtask", $"subtask {item.Step.Id}: {item.Step.Title}", argumentsJson: SupervisorState.SubtaskPayload(state.PlanVersion, item.Step.Id, item.Attempt)).ConfigureAwait(false);
            history = [];
        }

        if (history.Count == 0)
        {
            var notes = state.Results.TryGetValue(item.Step.Id, out var previous) ? previous.Notes : null;
            history.Add(new ChatMessage(ChatRole.System, AgentPrompts.Worker(_run.Run.WorkspacePath, Options.SubmissionToolName, ToolCallingLoop.FinishToolName)));
            history.Add(new ChatMessage(ChatRole.User, AgentPrompts.WorkerTask(_run.TaskPrompt, state.Plan!, item.Step, state.History.ToString(), notes, Budget)));
        }

        LoopOutcome outcome;
        try
        {
            outcome = await new ToolCallingLoop(_worker, _run).RunAsync(
                new LoopRequest { Agent = agent, History = history, Tools = _tools, MaxIterations = Options.MaxIterationsPerSubtask },
                batchCancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (batchCancel.IsCancellationRequested)
        {
            return null; // Another worker submitted (or the run was cancelled): this subtask stays open.
        }

        _run.RecordConversationEnd(agent, final: false, outcome);

        if (outcome.Kind == LoopOutcomeKind.Submitted)
        {
            await batchCancel.CancelAsync().ConfigureAwait(false);
            await _run.CompleteStepAsync(stepId, true, SupervisorState.ResultPayload(new SubtaskResult(outcome.Kind.ToString(), true, Cap(outcome.Summary), ReviewDecision.Accept, null))).ConfigureAwait(false);
            return outcome;
        }

        if (outcome.Kind == LoopOutcomeKind.BudgetExhausted)
        {
            await _run.CompleteStepAsync(stepId, false, SupervisorState.ResultPayload(new SubtaskResult(outcome.Kind.ToString(), false, Cap(outcome.Summary), ReviewDecision.Retry, "stopped by the budget"))).ConfigureAwait(false);
            return outcome;
        }

        var decision = await ReviewAsync(item.Step, outcome, CancellationToken.None).ConfigureAwait(false);
        var verdict = decision.Verdict;
        if (verdict == ReviewDecision.Retry && item.Attempt > Options.MaxSubtaskRetries)
        {
            verdict = ReviewDecision.Replan;
        }

        var result = new SubtaskResult(outcome.Kind.ToString(), outcome.Success, Cap(outcome.Summary), verdict, decision.Notes);
        lock (_stateGate)
        {
            state.Record(item.Step.Id, result);
        }

        await _run.CompleteStepAsync(stepId, outcome.Success && verdict == ReviewDecision.Accept, SupervisorState.ResultPayload(result)).ConfigureAwait(false);

        return outcome;
    }

    private async Task PlanAsync(SupervisorState state, CancellationToken cancellationToken)
    {
        var replanning = state.Plan is not null;
        _run.Report(SupervisorAgent, replanning ? "re-planning" : "planning");
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, AgentPrompts.Supervisor(_tools.Select(t => t.Name).Append(Options.SubmissionToolName).Distinct(StringComparer.Ordinal), Options.SubmissionToolName)),
            new(ChatRole.User, AgentPrompts.PlanRequest(_run.TaskPrompt, replanning ? state.History.ToString() : null, Budget)),
        };
        var plan = await AskAsync<ResearchPlan>(messages, "research_plan", ValidatePlan, cancellationToken).ConfigureAwait(false)
            ?? new ResearchPlan
            {
                Rationale = "The planner gave no usable plan; the task is handed to one worker as a whole.",
                Steps = [new PlanStep { Id = 1, Title = "Complete the task", Instruction = "Complete the whole task and submit the result." }],
            };

        state.Plan = plan;
        state.PlanVersion++;
        state.Results.Clear();
        state.Attempts.Clear();
        state.Open.Clear();
        state.NeedsReplan = false;
        var outline = string.Join('\n', plan.Steps.Select(s => $"{s.Id}. {s.Title}"));
        await _run.RecordStepAsync(SupervisorAgent, "plan", replanning ? "re-planned" : "planned", SupervisorState.PlanPayload(state.PlanVersion, plan), outline).ConfigureAwait(false);
    }

    private async Task<ReviewDecision> ReviewAsync(PlanStep step, LoopOutcome outcome, CancellationToken cancellationToken)
    {
        _run.Report(SupervisorAgent, $"reviewing subtask {step.Id}");
        var report = $"{(outcome.Success ? "reported success" : "did not succeed")} ({outcome.Kind}): {Cap(outcome.Summary)}";
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, AgentPrompts.Supervisor(_tools.Select(t => t.Name), Options.SubmissionToolName)),
            new(ChatRole.User, AgentPrompts.ReviewRequest(step, report)),
        };

        ReviewDecision? decision = null;
        try
        {
            decision = await AskAsync<ReviewDecision>(messages, "review", ValidateReview, cancellationToken).ConfigureAwait(false);
        }
        catch (BudgetExhaustedException)
        {
            // No budget left to review: fall through to the default below.
        }

        decision ??= new ReviewDecision { Verdict = outcome.Success ? ReviewDecision.Accept : ReviewDecision.Replan, Notes = "no usable review; decided from the worker's report" };
        await _run.RecordStepAsync(SupervisorAgent, "review", $"reviewed subtask {step.Id}", JsonSerializer.Serialize(new { subtask = step.Id, decision.Verdict, decision.Notes }, Json), decision.Verdict).ConfigureAwait(false);
        return decision;
    }

    /// <summary>Asks the planner for a structured reply; one retry with the parse error, else null.</summary>
    private async Task<T?> AskAsync<T>(List<ChatMessage> messages, string schemaName, Func<T, string?> validate, CancellationToken cancellationToken)
        where T : class
    {
        using var scope = AgentCallScope.Enter(_run.RunId, SupervisorAgent);
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema<T>(AIJsonUtilities.DefaultOptions, schemaName),
            MaxOutputTokens = Options.Planner.MaxOutputTokens,
        };
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await _planner.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            await _run.SaveTotalsAsync().ConfigureAwait(false);
            var value = StructuredReply.TryParse<T>(response.Text, out var error);
            error ??= value is null ? "empty reply" : validate(value);
            if (error is null)
            {
                return value;
            }

            messages.AddMessages(response);
            messages.Add(new ChatMessage(ChatRole.User, $"That reply could not be used: {error}. Reply again with JSON only, matching the schema."));
        }

        return null;
    }

    private static string? ValidatePlan(ResearchPlan plan)
    {
        if (plan.Steps is not { Count: > 0 })
        {
            return "the plan has no steps";
        }

        if (plan.Steps.Any(s => string.IsNullOrWhiteSpace(s.Instruction)))
        {
            return "every step needs an instruction";
        }

        var duplicate = plan.Steps.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"step id {duplicate.Key} is used twice";
    }

    private static string? ValidateReview(ReviewDecision review)
        => review.Verdict is ReviewDecision.Accept or ReviewDecision.Retry or ReviewDecision.Replan
            ? null
            : $"verdict must be accept, retry or replan (was '{review.Verdict}')";

    private async Task<SupervisorOutcome> FinalSubmissionAsync(SupervisorState state, string reason, CancellationToken cancellationToken)
    {
        var budgetReason = Budget.HardStopReason() ?? Budget.WorkStopReason();
        var status = budgetReason is not null ? RunStatus.BudgetExhausted : RunStatus.Failed;
        if (Budget.HardStopReason() is { } hard)
        {
            await _run.RecordStepAsync(SupervisorAgent, "note", "stopped", null, $"no final submission: {hard}", succeeded: false).ConfigureAwait(false);
            return new SupervisorOutcome(RunStatus.BudgetExhausted, hard, null);
        }

        string agent;
        long stepId;
        List<ChatMessage> history;
        if (state.OpenFinal is { } open)
        {
            agent = open.Agent;
            stepId = open.StepId;
            history = SupervisorState.Conversation(await _run.Store.GetMessagesAsync(_run.RunId, CancellationToken.None).ConfigureAwait(false), agent);
        }
        else
        {
            agent = $"worker-{++state.WorkerCount}";
            stepId = await _run.StartStepAsync(agent, "final", "asking for the final submission", argumentsJson: reason).ConfigureAwait(false);
            history = [];
        }

        if (history.Count == 0)
        {
            history.Add(new ChatMessage(ChatRole.System, AgentPrompts.Worker(_run.Run.WorkspacePath, Options.SubmissionToolName, ToolCallingLoop.FinishToolName)));
            history.Add(new ChatMessage(ChatRole.User, AgentPrompts.FinalSubmission(_run.TaskPrompt, reason, state.History.ToString(), Options.SubmissionToolName)));
        }

        var outcome = await new ToolCallingLoop(_worker, _run).RunAsync(
            new LoopRequest { Agent = agent, History = history, Tools = _tools, MaxIterations = 3, FinalSubmission = true },
            cancellationToken).ConfigureAwait(false);
        _run.RecordConversationEnd(agent, final: true, outcome);
        await _run.CompleteStepAsync(stepId, outcome.Kind == LoopOutcomeKind.Submitted, outcome.Summary).ConfigureAwait(false);
        if (outcome.Kind == LoopOutcomeKind.Submitted)
        {
            await RecordSubmissionAsync(outcome.Submission!).ConfigureAwait(false);
            return new SupervisorOutcome(budgetReason is null ? RunStatus.Completed : RunStatus.BudgetExhausted, $"{reason}; final submission made", outcome.Submission);
        }

        var why = outcome.Kind == LoopOutcomeKind.BudgetExhausted ? outcome.Summary : $"the model did not call {Options.SubmissionToolName}";
        return new SupervisorOutcome(outcome.Kind == LoopOutcomeKind.BudgetExhausted ? RunStatus.BudgetExhausted : status, $"{reason}; no submission ({why})", null);
    }

    private Task RecordSubmissionAsync(Submission submission)
        => _run.RecordStepAsync(SupervisorAgent, "submission", "submitted", JsonSerializer.Serialize(submission, Json), submission.ModelPath);

    private static string Cap(string text) => ToolOutputCap.Cap(text, 1500);

    private sealed record WorkItem(PlanStep Step, int Attempt, SupervisorState.OpenSubtask? Open);
}
