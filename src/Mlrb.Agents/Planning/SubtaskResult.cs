namespace Mlrb.Agents.Planning;

/// <summary>A reviewed subtask, as stored on its step's completion.</summary>
/// <param name="Outcome">How the worker ended (<c>Finished</c>, <c>Stalled</c>, ...).</param>
/// <param name="Success">Whether the worker reported success.</param>
/// <param name="Summary">The worker's report (capped).</param>
/// <param name="Verdict">The effective decision: accept, retry, replan or abandon.</param>
/// <param name="Notes">The supervisor's notes.</param>
internal sealed record SubtaskResult(string Outcome, bool Success, string Summary, string Verdict, string? Notes)
{
    /// <summary>The subtask was given up after its retries and the re-plans ran out.</summary>
    public const string Abandon = "abandon";

    /// <summary>Whether the plan may move past this subtask.</summary>
    public bool Resolved => Verdict is ReviewDecision.Accept or Abandon;
}
