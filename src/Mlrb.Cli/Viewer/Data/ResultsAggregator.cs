using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Viewer.Data;

/// <summary>
/// Groups finished runs by task and agent: mean score (failed outcomes count 0, as the paper counts them), its standard
/// error, and each run's value. Runs still going, or awaiting evaluation (no outcome yet), are left out.
/// </summary>
internal static class ResultsAggregator
{
    /// <summary>The agent name a run is tabled under.</summary>
    public static string AgentName(RunRecord run) =>
        !string.IsNullOrWhiteSpace(run.Label) ? run.Label! : $"{run.Provider ?? "?"}/{run.Model ?? "?"}";

    /// <summary>The rows, ordered by task then agent.</summary>
    public static IReadOnlyList<ResultsRow> Aggregate(IEnumerable<RunRecord> runs) =>
        runs.Where(r => r.Outcome is not null)
            .GroupBy(r => (r.TaskName, Agent: AgentName(r)))
            .OrderBy(g => g.Key.TaskName, StringComparer.Ordinal).ThenBy(g => g.Key.Agent, StringComparer.Ordinal)
            .Select(g =>
            {
                var points = g.OrderBy(r => r.StartedAt).Select(r => (r.RunId, Score: r.Outcome == RunOutcome.Scored ? r.Score ?? 0 : 0)).ToList();
                var n = points.Count;
                var mean = points.Average(p => p.Score);
                double? sem = n > 1 ? Math.Sqrt(points.Sum(p => (p.Score - mean) * (p.Score - mean)) / (n - 1)) / Math.Sqrt(n) : null;
                return new ResultsRow(g.Key.TaskName, g.Key.Agent, n, g.Count(r => r.Outcome == RunOutcome.Scored), mean, sem, points);
            })
            .ToList();
}
