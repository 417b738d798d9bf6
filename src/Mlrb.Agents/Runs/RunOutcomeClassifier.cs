using Mlrb.Agents.Budgets;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.ToolLoop;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Runs;

/// <summary>
/// Decides a finished run's <see cref="RunOutcome"/> from how it ended: its status, the exception that stopped it, and
/// what the <see cref="RunContext"/> saw (provider and sandbox failures, failed tool calls, stalled conversations).
/// A run with a submission gets no outcome here: its evaluation decides between scored and invalid.
/// </summary>
internal static class RunOutcomeClassifier
{
    /// <summary>Classifies a run.</summary>
    /// <param name="status">How the supervisor ended.</param>
    /// <param name="stopReason">Why, in words.</param>
    /// <param name="submission">The submission, if any.</param>
    /// <param name="failure">The exception that stopped the run, if any.</param>
    /// <param name="run">The run's context.</param>
    /// <param name="submissionTool">The name of the submission tool, for messages.</param>
    /// <returns>The outcome (null while a submission awaits evaluation, or for a cancelled, resumable run) and its detail.</returns>
    public static (RunOutcome? Outcome, string? Detail) Classify(RunStatus status, string stopReason, Submission? submission, Exception? failure, RunContext run, string submissionTool)
    {
        if (submission is not null || status == RunStatus.Cancelled)
        {
            return (null, null);
        }

        if (run.AbortReason is { } abort)
        {
            return (RunOutcome.SandboxError, abort);
        }

        if (failure is not null)
        {
            return failure switch
            {
                BudgetExhaustedException budget => (RunOutcome.BudgetExhausted, BudgetDetail(budget.Reason)),
                SandboxFailureException => (RunOutcome.SandboxError, failure.Message),
                _ when IsProviderFailure(failure, run) => (RunOutcome.ProviderError, failure.Message),
                _ => (RunOutcome.SandboxError, "harness error: " + failure.Message),
            };
        }

        if (status == RunStatus.BudgetExhausted)
        {
            return (RunOutcome.BudgetExhausted, BudgetDetail(stopReason));
        }

        var conversations = run.Conversations;
        var final = conversations.LastOrDefault(c => c.Final);
        if (final.Agent is not null)
        {
            var (calls, failed) = run.ToolCallsOf(final.Agent);
            if (calls > 0 && failed == calls)
            {
                return (RunOutcome.AgentError, $"asked for the final submission, the agent made {failed} malformed or failing tool call(s) and no valid {submissionTool} call");
            }
        }

        var work = conversations.Where(c => !c.Final).ToList();
        if (work.Count > 0 && work.All(c => c.Outcome.Kind == LoopOutcomeKind.Stalled))
        {
            return (RunOutcome.AgentError, $"every worker conversation stalled ({work.Count}; last: {work[^1].Outcome.Summary})");
        }

        return (RunOutcome.NoSubmission, stopReason);
    }

    /// <summary>Names the budget a reason is about: <c>time</c>, <c>tokens</c> or <c>cost</c>, followed by the reason.</summary>
    /// <param name="reason">The budget's reason text.</param>
    /// <returns>E.g. <c>time: time limit of 1h reached</c>.</returns>
    public static string BudgetDetail(string reason)
    {
        var which = reason.Contains("token", StringComparison.OrdinalIgnoreCase) ? "tokens"
            : reason.Contains("cost", StringComparison.OrdinalIgnoreCase) ? "cost"
            : "time";
        return $"{which}: {reason}";
    }

    private static bool IsProviderFailure(Exception failure, RunContext run)
        => ReferenceEquals(failure, run.ProviderFailure) || failure is ModelCallFailedException or HttpRequestException;
}
