using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Tasks;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;

namespace CustomAgent;

/// <summary>
/// A small agent loop of the researcher's own: it asks the model for the next tool calls, runs them, and repeats until
/// the model submits with <c>return_fn</c> or the budget (model calls, wall-clock time) runs out. Every model reply and
/// every tool call is written to the Mlrb run store as it happens, so a killed run leaves a complete record.
/// </summary>
/// <param name="chat">The model: any <see cref="IChatClient"/> (OpenAI-compatible endpoint, a mock in tests).</param>
/// <param name="toolFactory">Mlrb's tools (from <c>AddMlrbTools</c>).</param>
/// <param name="store">Where runs, steps and messages are recorded.</param>
/// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
public sealed class BudgetedAgentLoop(IChatClient chat, IToolFactory toolFactory, IRunStore store, TimeProvider? timeProvider = null)
{
    /// <summary>The agent name written on every step and message.</summary>
    public const string AgentName = "custom-agent";

    private const int ExcerptChars = 4_000;
    private readonly TimeProvider _clock = timeProvider ?? TimeProvider.System;

    /// <summary>Runs <paramref name="task"/> in <paramref name="workspacePath"/> under <paramref name="budget"/>.</summary>
    /// <param name="task">The benchmark task.</param>
    /// <param name="workspacePath">The run's workspace folder (created when missing).</param>
    /// <param name="budget">Model-call and time limits.</param>
    /// <param name="model">The model id, recorded with the run.</param>
    /// <param name="cancellationToken">Cancels the run (recorded as cancelled).</param>
    /// <returns>How the run ended.</returns>
    public async Task<AgentRunSummary> RunAsync(ResearchTask task, string workspacePath, AgentBudget budget, string model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(budget);
        var workspace = Path.GetFullPath(workspacePath);
        Directory.CreateDirectory(workspace);
        var started = _clock.GetUtcNow();
        var deadline = started + budget.TimeLimit;
        var run = new RunRecord
        {
            RunId = $"custom-{started:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
            TaskName = task.Name,
            WorkspacePath = workspace,
            Provider = "openai-compatible",
            Model = model,
            StartedAt = started,
            TimeLimit = budget.TimeLimit,
            MetadataJson = JsonSerializer.Serialize(new { budget.MaxIterations, TimeLimitSeconds = budget.TimeLimit.TotalSeconds }),
        };
        await store.CreateRunAsync(run, cancellationToken).ConfigureAwait(false);

        // Mlrb's 17 tools, bound to the workspace and the run's deadline, plus the sample's own tool.
        var mlrbTools = toolFactory.CreateTools(new ToolContext { WorkspacePath = workspace, RunId = run.RunId, Deadline = deadline, TimeProvider = _clock });
        var ownTool = new WorkspaceTreeTool(workspace).AsAIFunction();
        var byName = mlrbTools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var options = new ChatOptions
        {
            ModelId = model,
            Tools = [.. mlrbTools.Select(t => t.AsAIFunction()), ownTool],
        };

        var prompts = new PromptRenderer();
        var promptContext = new PromptContext
        {
            WorkingDirectory = workspace,
            TimeLimit = budget.TimeLimit,
            ToolNames = [.. options.Tools.Select(t => t.Name)],
        };
        var history = new List<ChatMessage>
        {
            new(ChatRole.System, prompts.RenderWorkerSystemPrompt(task, promptContext)),
            new(ChatRole.User, prompts.RenderTaskPrompt(task, promptContext)),
        };
        foreach (var message in history)
        {
            await RecordMessageAsync(run.RunId, message, null, cancellationToken).ConfigureAwait(false);
        }

        var state = new LoopState();
        RunStatus status;
        string reason;
        Submission? submission = null;
        try
        {
            (status, reason, submission) = await LoopAsync(task, budget, deadline, options, byName, ownTool, history, prompts, promptContext, run.RunId, state, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            (status, reason) = (RunStatus.Cancelled, "cancelled by the user");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Recorded, not lost: the run row says why it failed.
            (status, reason) = (RunStatus.Failed, $"{ex.GetType().Name}: {ex.Message}");
        }

        await store.UpdateRunAsync(run with
        {
            Status = status,
            FinishedAt = _clock.GetUtcNow(),
            StopReason = reason,
            InputTokens = state.InputTokens,
            OutputTokens = state.OutputTokens,
            ResultJson = submission is null ? null : JsonSerializer.Serialize(submission),
        }, CancellationToken.None).ConfigureAwait(false);
        return new AgentRunSummary(run.RunId, status, reason, state.Iterations, state.ToolCalls, state.InputTokens, state.OutputTokens, submission);
    }

    private async Task<(RunStatus, string, Submission?)> LoopAsync(
        ResearchTask task,
        AgentBudget budget,
        DateTimeOffset deadline,
        ChatOptions options,
        Dictionary<string, ITool> mlrbTools,
        AIFunction ownTool,
        List<ChatMessage> history,
        PromptRenderer prompts,
        PromptContext promptContext,
        string runId,
        LoopState state,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            if (state.Iterations >= budget.MaxIterations)
            {
                return (RunStatus.BudgetExhausted, $"iteration budget spent: {budget.MaxIterations} model calls without a submission", null);
            }

            var left = deadline - _clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return (RunStatus.BudgetExhausted, $"time budget spent: {budget.TimeLimit} without a submission", null);
            }

            // The deadline bounds the model call and the tool calls of this turn.
            using var timer = new CancellationTokenSource(left, _clock);
            using var turn = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            ChatResponse response;
            try
            {
                response = await chat.GetResponseAsync(history, options, turn.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (RunStatus.BudgetExhausted, $"time budget spent: {budget.TimeLimit} (during a model call)", null);
            }

            state.Iterations++;
            var inputTokens = response.Usage?.InputTokenCount ?? 0;
            var outputTokens = response.Usage?.OutputTokenCount ?? 0;
            state.InputTokens += inputTokens;
            state.OutputTokens += outputTokens;
            history.AddRange(response.Messages);
            foreach (var message in response.Messages)
            {
                await RecordMessageAsync(runId, message, response.Usage, cancellationToken).ConfigureAwait(false);
            }

            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0)
            {
                // No tool call: note what the model said and hand it Mlrb's per-turn prompt.
                var note = await store.AddStepAsync(NewStep(runId, "note", null, null, null, inputTokens, outputTokens), cancellationToken).ConfigureAwait(false);
                await store.CompleteStepAsync(note, new StepCompletion(StepStatus.Succeeded, Excerpt(response.Text), null, _clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                var nudge = new ChatMessage(ChatRole.User, prompts.RenderWorkerTurnPrompt(task, promptContext, new WorkerTurnState
                {
                    Elapsed = budget.TimeLimit - (deadline - _clock.GetUtcNow()),
                    RecentActions = state.RecentActions.TakeLast(5).ToList(),
                    PreviousOutput = "You answered without calling a tool. Act with the tools; call return_fn when the result is ready.",
                }));
                history.Add(nudge);
                await RecordMessageAsync(runId, nudge, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var results = new List<AIContent>();
            Submission? submission = null;
            foreach (var call in calls)
            {
                var argumentsJson = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
                var stepId = await store.AddStepAsync(NewStep(runId, "tool", call.Name, call.CallId, argumentsJson, inputTokens, outputTokens), cancellationToken).ConfigureAwait(false);
                inputTokens = outputTokens = 0; // the model call's tokens go on its first step only
                state.ToolCalls++;
                bool succeeded;
                string text;
                Submission? submitted;
                try
                {
                    (succeeded, text, submitted) = await InvokeAsync(call, mlrbTools, ownTool, turn.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    (succeeded, text, submitted) = (false, $"{call.Name}: stopped, the time budget is spent", null);
                }

                await store.CompleteStepAsync(stepId, new StepCompletion(
                    succeeded ? StepStatus.Succeeded : StepStatus.Failed,
                    succeeded ? Excerpt(text) : null,
                    succeeded ? null : Excerpt(text),
                    _clock.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
                state.RecentActions.Add($"{call.Name}: {(succeeded ? "succeeded" : "failed")}");
                results.Add(new FunctionResultContent(call.CallId, text));
                submission ??= submitted;
                if (turn.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return (RunStatus.BudgetExhausted, $"time budget spent: {budget.TimeLimit} (during {call.Name})", null);
                }
            }

            var toolMessage = new ChatMessage(ChatRole.Tool, results);
            history.Add(toolMessage);
            await RecordMessageAsync(runId, toolMessage, null, cancellationToken).ConfigureAwait(false);
            if (submission is not null)
            {
                var submitStep = await store.AddStepAsync(NewStep(runId, "submission", "return_fn", null, JsonSerializer.Serialize(submission), 0, 0), cancellationToken).ConfigureAwait(false);
                await store.CompleteStepAsync(submitStep, new StepCompletion(StepStatus.Succeeded, submission.ModelPath, null, _clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                return (RunStatus.Completed, "submitted with return_fn", submission);
            }
        }
    }

    /// <summary>Runs one tool call. Mlrb tools are invoked through <see cref="ITool"/> for their typed result.</summary>
    private static async Task<(bool Succeeded, string Text, Submission? Submission)> InvokeAsync(
        FunctionCallContent call, Dictionary<string, ITool> mlrbTools, AIFunction ownTool, CancellationToken cancellationToken)
    {
        if (mlrbTools.TryGetValue(call.Name, out var tool))
        {
            var arguments = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
            var result = await tool.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
            return (result.IsSuccess, result.ToModelText(), result.IsSuccess ? result.Submission : null);
        }

        if (call.Name == ownTool.Name)
        {
            try
            {
                var value = await ownTool.InvokeAsync(new AIFunctionArguments(call.Arguments), cancellationToken).ConfigureAwait(false);
                var text = value switch
                {
                    JsonElement { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
                    null => "",
                    _ => value.ToString() ?? "",
                };
                return (!text.StartsWith(WorkspaceTreeTool.ToolName + ":", StringComparison.Ordinal), text, null);
            }
            catch (Exception ex) when (ex is ArgumentException or JsonException or IOException or UnauthorizedAccessException)
            {
                return (false, $"{call.Name}: {ex.Message}", null);
            }
        }

        return (false, $"There is no tool named '{call.Name}'. The tools are: {string.Join(", ", mlrbTools.Keys.Append(ownTool.Name))}.", null);
    }

    private StepRecord NewStep(string runId, string kind, string? tool, string? callId, string? argumentsJson, long inputTokens, long outputTokens) => new()
    {
        RunId = runId,
        Agent = AgentName,
        Kind = kind,
        Tool = tool,
        CallId = callId,
        ArgumentsJson = argumentsJson,
        InputTokens = inputTokens,
        OutputTokens = outputTokens,
        StartedAt = _clock.GetUtcNow(),
    };

    private async Task RecordMessageAsync(string runId, ChatMessage message, UsageDetails? usage, CancellationToken cancellationToken) =>
        await store.AddMessageAsync(new MessageRecord
        {
            RunId = runId,
            Agent = AgentName,
            Role = message.Role.Value,
            ContentJson = JsonSerializer.Serialize(message, AIJsonUtilities.DefaultOptions),
            InputTokens = message.Role == ChatRole.Assistant ? usage?.InputTokenCount ?? 0 : 0,
            OutputTokens = message.Role == ChatRole.Assistant ? usage?.OutputTokenCount ?? 0 : 0,
            CreatedAt = _clock.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);

    private static string Excerpt(string text) =>
        text.Length <= ExcerptChars ? text : string.Concat(text.AsSpan(0, ExcerptChars / 2), "\n[...]\n", text.AsSpan(text.Length - (ExcerptChars / 2)));

    private sealed class LoopState
    {
        public int Iterations { get; set; }

        public int ToolCalls { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        public List<string> RecentActions { get; } = [];
    }
}
