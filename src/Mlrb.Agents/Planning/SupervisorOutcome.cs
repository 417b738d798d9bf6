using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Planning;

/// <summary>How the supervisor ended a run.</summary>
/// <param name="Status">Completed, budget exhausted or failed.</param>
/// <param name="StopReason">Why, in words.</param>
/// <param name="Submission">The submission, if any.</param>
internal sealed record SupervisorOutcome(RunStatus Status, string StopReason, Submission? Submission);
