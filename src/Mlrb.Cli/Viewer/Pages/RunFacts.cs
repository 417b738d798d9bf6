using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>Derived values shown for a run in lists and headers.</summary>
internal static class RunFacts
{
    /// <summary>The outcome name, or the status while there is no outcome (running, awaiting evaluation).</summary>
    public static string OutcomeText(RunRecord run) =>
        run.Outcome is { } o ? o.ToName()
        : run.Status == RunStatus.Running ? "running"
        : $"{run.Status.ToString().ToLowerInvariant()} (not evaluated)";

    /// <summary>Wall time: finished − started, or now − started while running.</summary>
    public static TimeSpan Wall(RunRecord run, DateTimeOffset now) => (run.FinishedAt ?? now) - run.StartedAt;

    /// <summary>Total tokens.</summary>
    public static long Tokens(RunRecord run) => run.InputTokens + run.OutputTokens;

    /// <summary>CSS class for an outcome cell.</summary>
    public static string OutcomeClass(RunRecord run) =>
        run.Outcome == RunOutcome.Scored ? "good" : run.Outcome is null ? "muted" : "bad";
}
