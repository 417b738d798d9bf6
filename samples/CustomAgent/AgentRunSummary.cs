using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace CustomAgent;

/// <summary>How a run ended.</summary>
/// <param name="RunId">The run's id in the run store.</param>
/// <param name="Status">Completed, BudgetExhausted or Failed.</param>
/// <param name="StopReason">Why it stopped, in words.</param>
/// <param name="Iterations">Model calls made.</param>
/// <param name="ToolCalls">Tool calls made.</param>
/// <param name="InputTokens">Input tokens the endpoint reported.</param>
/// <param name="OutputTokens">Output tokens the endpoint reported.</param>
/// <param name="Submission">What <c>return_fn</c> submitted, when the run completed.</param>
public sealed record AgentRunSummary(
    string RunId,
    RunStatus Status,
    string StopReason,
    int Iterations,
    int ToolCalls,
    long InputTokens,
    long OutputTokens,
    Submission? Submission);
