using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Agents.ToolLoop;

/// <summary>
/// A real multi-turn tool-calling conversation: each model turn may call several tools, dispatched by name and
/// validated against the tool's JSON schema; unknown tools, unparseable or invalid arguments and tool failures are
/// answered to the model as tool errors. Ends on <c>return_fn</c>, <c>finish_subtask</c>, the iteration or
/// consecutive-error cap, or the budget.
/// </summary>
/// <remarks>
/// Every tool call is a step in the run store. On a resumed conversation, calls of the last model turn that already
/// completed are answered from their stored result instead of being run again.
/// </remarks>
internal sealed class ToolCallingLoop
{
    /// <summary>Name of the built-in tool a worker ends its subtask with.</summary>
    public const string FinishToolName = "finish_subtask";

    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly IChatClient _client;
    private readonly RunContext _run;

    /// <summary>Creates the loop.</summary>
    /// <param name="client">The worker's chat client (with middleware).</param>
    /// <param name="run">The run.</param>
    public ToolCallingLoop(IChatClient client, RunContext run)
    {
        _client = client;
        _run = run;
    }

    private MlrbAgentsOptions Options => _run.Options;

    private RunBudget Budget => _run.Budget;

    /// <summary>Drives the conversation until it ends.</summary>
    /// <param name="request">The conversation.</param>
    /// <param name="cancellationToken">Cancels the run (propagates as <see cref="OperationCanceledException"/>).</param>
    /// <returns>How it ended.</returns>
    public async Task<LoopOutcome> RunAsync(LoopRequest request, CancellationToken cancellationToken)
    {
        using var scope = AgentCallScope.Enter(_run.RunId, request.Agent);
        var tools = BuildTools(request);
        var chatOptions = new ChatOptions
        {
            Tools = tools.Values.Cast<AITool>().ToList(),
            ToolMode = request.FinalSubmission ? ChatToolMode.RequireSpecific(Options.SubmissionToolName) : ChatToolMode.Auto,
            AllowMultipleToolCalls = !request.FinalSubmission,
            MaxOutputTokens = Options.Worker.MaxOutputTokens,
        };

        var state = new LoopState();
        if (PendingCalls(request.History) is { Count: > 0 } pending)
        {
            var completed = (await _run.Store.GetStepsAsync(_run.RunId, cancellationToken).ConfigureAwait(false))
                .Where(s => s.Kind == "tool" && s.Agent == request.Agent && s.Status != StepStatus.Started && s.CallId is not null)
                .GroupBy(s => s.CallId!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            if (await RunCallsAsync(request, tools, pending, null, completed, state, cancellationToken).ConfigureAwait(false) is { } resumedOutcome)
            {
                return resumedOutcome;
            }
        }

        for (var iteration = 0; ; iteration++)
        {
            if (iteration >= request.MaxIterations)
            {
                return new LoopOutcome(LoopOutcomeKind.Stalled, $"stopped after {request.MaxIterations} model turns without finishing the subtask");
            }

            var stop = request.FinalSubmission ? Budget.HardStopReason() : Budget.WorkStopReason();
            if (stop is not null)
            {
                return new LoopOutcome(LoopOutcomeKind.BudgetExhausted, stop);
            }

            HistoryCompactor.Compact(request.History, request.Pinned, Options.KeepRecentActions, Options.ContextTokenBudget);
            _run.Report(request.Agent, "thinking");
            ChatResponse response;
            try
            {
                response = await _client.GetResponseAsync(request.History, chatOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (BudgetExhaustedException ex)
            {
                return new LoopOutcome(LoopOutcomeKind.BudgetExhausted, ex.Reason);
            }

            request.History.AddMessages(response);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0)
            {
                await _run.SaveTotalsAsync().ConfigureAwait(false);
                if (!request.FinalSubmission && ++state.TextReplies >= 2)
                {
                    return new LoopOutcome(LoopOutcomeKind.Finished, response.Text, Success: true);
                }

                request.History.Add(new ChatMessage(ChatRole.User, request.FinalSubmission
                    ? $"You must call {Options.SubmissionToolName} now with the best model you have and its metrics."
                    : $"No tool was called. Continue the subtask with the tools. When it is done, call {FinishToolName} with a summary of what you did and found; when the whole task is done, call {Options.SubmissionToolName}."));
                continue;
            }

            state.TextReplies = 0;
            if (await RunCallsAsync(request, tools, calls, response.Usage, null, state, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                return outcome;
            }
        }
    }

    private static List<FunctionCallContent> PendingCalls(List<ChatMessage> history)
    {
        var lastAssistant = history.FindLastIndex(m => m.Role == ChatRole.Assistant);
        if (lastAssistant < 0)
        {
            return [];
        }

        var answered = history.Skip(lastAssistant + 1).SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        return history[lastAssistant].Contents.OfType<FunctionCallContent>().Where(c => !answered.Contains(c.CallId)).ToList();
    }

    private Dictionary<string, AIFunctionDeclaration> BuildTools(LoopRequest request)
    {
        var tools = new Dictionary<string, AIFunctionDeclaration>(StringComparer.Ordinal);
        if (!request.FinalSubmission)
        {
            foreach (var tool in request.Tools.OfType<AIFunctionDeclaration>())
            {
                tools[tool.Name] = tool;
            }

            tools[FinishToolName] = BuiltInTools.FinishSubtask;
        }
        else if (request.Tools.OfType<AIFunctionDeclaration>().FirstOrDefault(t => t.Name == Options.SubmissionToolName) is { } submit)
        {
            tools[submit.Name] = submit;
        }

        tools.TryAdd(Options.SubmissionToolName, BuiltInTools.Submission(Options.SubmissionToolName));
        return tools;
    }

    /// <summary>Runs one turn's calls in order and appends their results; returns an outcome when the conversation ends.</summary>
    private async Task<LoopOutcome?> RunCallsAsync(
        LoopRequest request,
        Dictionary<string, AIFunctionDeclaration> tools,
        List<FunctionCallContent> calls,
        UsageDetails? usage,
        Dictionary<string, StepRecord>? completed,
        LoopState state,
        CancellationToken cancellationToken)
    {
        var results = new List<AIContent>();
        LoopOutcome? outcome = null;
        foreach (var call in calls)
        {
            if (outcome is not null)
            {
                results.Add(new FunctionResultContent(call.CallId, "Not run: the conversation ended with an earlier call of this turn."));
                continue;
            }

            if (completed is not null && completed.TryGetValue(call.CallId, out var done) && call.Name != FinishToolName && call.Name != Options.SubmissionToolName)
            {
                // Resumed run: this call finished before the process stopped; answer it from the store.
                var stored = done.Status == StepStatus.Succeeded ? done.OutputExcerpt ?? "" : done.ErrorExcerpt ?? done.OutputExcerpt ?? "failed";
                results.Add(new FunctionResultContent(call.CallId, stored));
                continue;
            }

            var executed = await ExecuteAsync(request, tools, call, usage, cancellationToken).ConfigureAwait(false);
            usage = null;
            results.Add(executed.Result);
            state.ConsecutiveErrors = executed.Failed ? state.ConsecutiveErrors + 1 : 0;
            outcome = executed.Outcome;
        }

        request.History.Add(new ChatMessage(ChatRole.Tool, results));
        if (outcome is null && state.ConsecutiveErrors >= Options.MaxConsecutiveToolErrors)
        {
            outcome = new LoopOutcome(LoopOutcomeKind.Stalled, $"stopped after {state.ConsecutiveErrors} consecutive failed tool calls");
        }

        return outcome;
    }

    private async Task<CallResult> ExecuteAsync(LoopRequest request, Dictionary<string, AIFunctionDeclaration> tools, FunctionCallContent call, UsageDetails? usage, CancellationToken cancellationToken)
    {
        var argumentsJson = call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments, Json);
        var stepId = await _run.StartStepAsync(request.Agent, "tool", "tool " + call.Name, call.Name, call.CallId, argumentsJson, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0).ConfigureAwait(false);

        async Task<CallResult> Fail(string message, LoopOutcome? outcome = null)
        {
            var text = ToolOutputCap.Cap(message, Options.MaxToolResultChars);
            await _run.CompleteStepAsync(stepId, succeeded: false, null, text).ConfigureAwait(false);
            return new CallResult(new FunctionResultContent(call.CallId, "Error: " + text) { Exception = new InvalidOperationException(text) }, true, outcome);
        }

        if (call.Exception is not null)
        {
            return await Fail($"the arguments of {call.Name} are not valid JSON ({call.Exception.Message}). Send a single JSON object that matches the tool's schema.").ConfigureAwait(false);
        }

        if (!tools.TryGetValue(call.Name, out var tool))
        {
            return await Fail($"there is no tool named '{call.Name}'. Available tools: {string.Join(", ", tools.Keys.Order(StringComparer.Ordinal))}.").ConfigureAwait(false);
        }

        var arguments = JsonDocument.Parse(argumentsJson).RootElement;
        if (ToolArgumentValidator.Describe(call.Name, tool.JsonSchema, arguments) is { } problem)
        {
            return await Fail(problem).ConfigureAwait(false);
        }

        if (call.Name == FinishToolName)
        {
            var summary = arguments.TryGetProperty("summary", out var s) ? s.GetString() ?? "" : "";
            var success = !arguments.TryGetProperty("success", out var ok) || ok.ValueKind != JsonValueKind.False;
            await _run.CompleteStepAsync(stepId, succeeded: true, ToolOutputCap.Cap(summary, Options.MaxToolResultChars)).ConfigureAwait(false);
            return new CallResult(new FunctionResultContent(call.CallId, "Subtask report received."), false, new LoopOutcome(LoopOutcomeKind.Finished, summary, success));
        }

        JsonElement? resultJson = null;
        string resultText;
        if (tool is AIFunction function)
        {
            var deadline = request.FinalSubmission ? Budget.HardDeadline : Budget.WorkDeadline;
            using var timeout = Budget.CancelAt(deadline, cancellationToken);
            try
            {
                var value = await function.InvokeAsync(new AIFunctionArguments(ToArguments(arguments)), timeout.Token).AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
                resultJson = value switch
                {
                    null => null,
                    JsonElement e => e,
                    string text => JsonSerializer.SerializeToElement(text, Json),
                    _ => JsonSerializer.SerializeToElement(value, value.GetType(), Json),
                };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var reason = Budget.HardStopReason() ?? Budget.WorkStopReason() ?? "time limit reached";
                return await Fail($"{call.Name} was stopped: {reason}.", new LoopOutcome(LoopOutcomeKind.BudgetExhausted, reason)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return await Fail($"{call.Name} failed: {ex.Message}").ConfigureAwait(false);
            }

            resultText = ToolOutputCap.Cap(ResultText(resultJson), Options.MaxToolResultChars);
            if (ReportsFailure(resultJson, call.Name))
            {
                return await Fail(resultText).ConfigureAwait(false);
            }
        }
        else
        {
            // A declaration-only tool: only the built-in submission tool gets here.
            resultText = "Submission received.";
        }

        if (call.Name == Options.SubmissionToolName)
        {
            var submission = SubmissionParser.TryParse(arguments, resultJson, out var error);
            if (submission is null)
            {
                return await Fail(error!).ConfigureAwait(false);
            }

            await _run.CompleteStepAsync(stepId, succeeded: true, resultText).ConfigureAwait(false);
            return new CallResult(new FunctionResultContent(call.CallId, resultText), false, new LoopOutcome(LoopOutcomeKind.Submitted, submission.Summary ?? "submitted", true, submission));
        }

        await _run.CompleteStepAsync(stepId, succeeded: true, resultText).ConfigureAwait(false);
        return new CallResult(new FunctionResultContent(call.CallId, resultText), false, null);
    }

    private static Dictionary<string, object?> ToArguments(JsonElement arguments)
        => arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : [];

    private static string ResultText(JsonElement? result) => result switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { } e => e.GetRawText(),
    };

    /// <summary>
    /// Whether a tool's result says it failed: a <c>ToolResult</c>-shaped object whose <c>status</c> is not success,
    /// or model text that begins <c>"{tool}: failure"</c> / <c>"{tool}: timed out"</c> (the Mlrb tools' text form).
    /// </summary>
    private static bool ReportsFailure(JsonElement? result, string toolName)
    {
        if (result is { ValueKind: JsonValueKind.String } s)
        {
            var text = s.GetString() ?? "";
            return text.StartsWith(toolName + ": failure", StringComparison.Ordinal) || text.StartsWith(toolName + ": timed out", StringComparison.Ordinal);
        }

        if (result is not { ValueKind: JsonValueKind.Object } e)
        {
            return false;
        }

        foreach (var property in e.EnumerateObject())
        {
            if (!property.NameEquals("status") && !property.NameEquals("Status"))
            {
                continue;
            }

            return property.Value.ValueKind switch
            {
                JsonValueKind.String => !string.Equals(property.Value.GetString(), "success", StringComparison.OrdinalIgnoreCase),
                JsonValueKind.Number => property.Value.GetInt32() != 0,
                _ => false,
            };
        }

        return false;
    }

    private sealed class LoopState
    {
        public int ConsecutiveErrors { get; set; }

        public int TextReplies { get; set; }
    }

    private sealed record CallResult(FunctionResultContent Result, bool Failed, LoopOutcome? Outcome);
}
