using System.Globalization;
using System.Text.Json;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Tasks.Results;

/// <summary>
/// Aggregates stored runs into the benchmark's results: per task and agent, runs, failures by outcome, the mean score
/// with failures as 0, the mean over scored runs, standard errors, the best run, cost, tokens and wall time.
/// </summary>
public static class ResultsLedger
{
    /// <summary>How the numbers are counted, in words.</summary>
    public const string CountingNote =
        "Every finished run counts: a failed run scores 0.000 in mean (as in the paper's Tables 4-5); mean_scored averages scored runs only " +
        "(the paper's Figure 1, average successful performance). SE is the standard error of the mean (sample standard deviation / sqrt(n)). " +
        "Pending runs (running, cancelled, awaiting evaluation) are in no mean. Infrastructure failures (provider_error, sandbox_error, " +
        "evaluation_error) are listed apart from the agent's own failures.";

    /// <summary>The agent a run belongs to in the tables: its label when it has one, else <c>provider/model</c>.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The agent's name.</returns>
    public static string AgentName(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!string.IsNullOrWhiteSpace(run.Label))
        {
            return run.Label;
        }

        return (run.Provider, run.Model) switch
        {
            ({ } provider, { } model) => $"{provider}/{model}",
            ({ } provider, null) => provider,
            (null, { } model) => model,
            _ => "unknown",
        };
    }

    /// <summary>Reads the runs of a store and aggregates them.</summary>
    /// <param name="store">The run store.</param>
    /// <param name="filter">Which runs to count; null for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report.</returns>
    public static async Task<ResultsReport> LoadAsync(IRunStore store, ResultsFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var runs = await store.ListRunsAsync(cancellationToken).ConfigureAwait(false);
        return Summarize(runs, filter);
    }

    /// <summary>Aggregates runs.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="filter">Which runs to count; null for all.</param>
    /// <returns>The report.</returns>
    public static ResultsReport Summarize(IEnumerable<RunRecord> runs, ResultsFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var ids = filter?.RunIds is { } wanted ? new HashSet<string>(wanted, StringComparer.Ordinal) : null;
        var selected = runs
            .Where(r => filter?.Task is not { } task || string.Equals(r.TaskName, task, StringComparison.OrdinalIgnoreCase))
            .Where(r => filter?.Agent is not { } agent || string.Equals(AgentName(r), agent, StringComparison.OrdinalIgnoreCase))
            .Where(r => ids is null || ids.Contains(r.RunId))
            .Select(ToRunResult)
            .OrderBy(r => r.Task, StringComparer.Ordinal)
            .ThenBy(r => r.Agent, StringComparer.Ordinal)
            .ThenBy(r => r.StartedAt)
            .ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();

        var summaries = selected
            .GroupBy(r => (r.Task, r.Agent))
            .Select(g => Summarize(g.Key.Task, g.Key.Agent, g.ToList()))
            .ToList();
        return new ResultsReport { Summaries = summaries, Runs = selected };
    }

    /// <summary>One run as the tables count it.</summary>
    /// <param name="run">The stored run.</param>
    /// <returns>The row.</returns>
    public static RunResult ToRunResult(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var scored = run.Outcome == RunOutcome.Scored;
        return new RunResult
        {
            RunId = run.RunId,
            Task = run.TaskName,
            Agent = AgentName(run),
            StartedAt = run.StartedAt,
            Outcome = run.Outcome,
            Category = run.Outcome is { } o ? CategoryName(o.Category()) : null,
            Detail = run.OutcomeDetail,
            Score = scored ? run.Score : null,
            CountedScore = run.Outcome is null ? null : scored ? run.Score ?? 0 : 0,
            CostUsd = run.CostUsd,
            InputTokens = run.InputTokens,
            OutputTokens = run.OutputTokens,
            WallSeconds = WallSeconds(run),
        };
    }

    private static TaskAgentResults Summarize(string task, string agent, List<RunResult> runs)
    {
        var finished = runs.Where(r => r.CountedScore is not null).ToList();
        var counted = finished.Select(r => r.CountedScore!.Value).ToList();
        var scored = finished.Where(r => r.Outcome == RunOutcome.Scored).ToList();
        var scores = scored.Select(r => r.CountedScore!.Value).ToList();
        var failures = RunOutcomes.All.Where(o => o != RunOutcome.Scored)
            .ToDictionary(o => o.ToName(), o => finished.Count(r => r.Outcome == o), StringComparer.Ordinal);
        var best = scored.OrderByDescending(r => r.CountedScore).ThenBy(r => r.StartedAt).FirstOrDefault();
        var costs = runs.Where(r => r.CostUsd is not null).Select(r => r.CostUsd!.Value).ToList();
        var walls = runs.Where(r => r.WallSeconds is not null).Select(r => r.WallSeconds!.Value).ToList();
        var inputTokens = runs.Sum(r => r.InputTokens);
        var outputTokens = runs.Sum(r => r.OutputTokens);
        return new TaskAgentResults
        {
            Task = task,
            Agent = agent,
            Runs = runs.Count,
            Finished = finished.Count,
            Pending = runs.Count - finished.Count,
            Scored = scored.Count,
            Failures = failures,
            AgentFailures = finished.Count(r => r.Outcome is { } o && o.Category() == OutcomeCategory.AgentFailure),
            InfrastructureFailures = finished.Count(r => r.Outcome is { } o && o.IsInfrastructureFailure()),
            MeanScore = Mean(counted),
            StandardError = StandardErrorOf(counted),
            MeanScoredScore = Mean(scores),
            StandardErrorScored = StandardErrorOf(scores),
            BestScore = best?.CountedScore,
            BestRunId = best?.RunId,
            TotalCostUsd = costs.Count == 0 ? null : costs.Sum(),
            MeanCostUsd = costs.Count == 0 ? null : costs.Sum() / costs.Count,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            MeanTokens = runs.Count == 0 ? 0 : (double)(inputTokens + outputTokens) / runs.Count,
            TotalWallSeconds = walls.Sum(),
            MeanWallSeconds = walls.Count == 0 ? null : walls.Average(),
        };
    }

    private static double? Mean(List<double> values) => values.Count == 0 ? null : values.Average();

    private static double? StandardErrorOf(List<double> values)
    {
        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return Math.Sqrt(variance / values.Count);
    }

    private static string CategoryName(OutcomeCategory category) => category switch
    {
        OutcomeCategory.Scored => "scored",
        OutcomeCategory.AgentFailure => "agent_failure",
        _ => "infrastructure_failure",
    };

    /// <summary>
    /// The agent's active working time when its result recorded one (<c>elapsed</c> in the result JSON: excludes the
    /// time between a kill and a resume), else end minus start; null while the run has not ended.
    /// </summary>
    private static double? WallSeconds(RunRecord run)
    {
        if (run.FinishedAt is not { } finished)
        {
            return null;
        }

        if (run.ResultJson is { } json && ElapsedOf(json) is { } elapsed)
        {
            return elapsed.TotalSeconds;
        }

        return Math.Max(0, (finished - run.StartedAt).TotalSeconds);
    }

    private static TimeSpan? ElapsedOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("elapsed", out var elapsed)
                && elapsed.ValueKind == JsonValueKind.String
                && TimeSpan.TryParse(elapsed.GetString(), CultureInfo.InvariantCulture, out var span)
                && span >= TimeSpan.Zero
                ? span
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
