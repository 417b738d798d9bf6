using Mlrb.Tasks.Results;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Results;

/// <summary>
/// A real SQLite store seeded with runs of two tasks by two agents; every number is checked against a computation
/// written out by hand here (not by calling the code under test).
/// </summary>
public class ResultsLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-results");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    internal static RunRecord Run(string id, string task, string? label, RunOutcome? outcome, double? score, int minutesAfterT0, double? wallSeconds, decimal? cost, long input, long output)
        => new()
        {
            RunId = id,
            TaskName = task,
            WorkspacePath = "/tmp/runs/" + id,
            Provider = label is null ? "openai" : "anthropic",
            Model = label is null ? "gpt-4o" : "claude-sonnet-4-5",
            Label = label,
            Status = wallSeconds is null ? RunStatus.Running : RunStatus.Completed,
            StartedAt = T0.AddMinutes(minutesAfterT0),
            FinishedAt = wallSeconds is { } w ? T0.AddMinutes(minutesAfterT0).AddSeconds(w) : null,
            Outcome = outcome,
            OutcomeDetail = outcome is null or RunOutcome.Scored ? null : "detail of " + id,
            Score = score,
            CostUsd = cost,
            InputTokens = input,
            OutputTokens = output,
        };

    /// <summary>The seeded runs: task A (mini_baby_lm) and task B (mini_llm_merging), agents openai/gpt-4o (no label) and "my-agent" (a label).</summary>
    internal static IReadOnlyList<RunRecord> Seed() =>
    [
        // A, openai/gpt-4o: scored 0.5 and 0.7, one no_submission, one provider_error, one still running.
        Run("a1", "mini_baby_lm", null, RunOutcome.Scored, 0.5, 0, 600, 1.00m, 100, 10),
        Run("a2", "mini_baby_lm", null, RunOutcome.Scored, 0.7, 10, 1200, 2.00m, 200, 20),
        Run("a3", "mini_baby_lm", null, RunOutcome.NoSubmission, null, 20, 300, 0.50m, 50, 5),
        Run("a4", "mini_baby_lm", null, RunOutcome.ProviderError, null, 30, 60, null, 0, 0),
        Run("a5", "mini_baby_lm", null, null, null, 40, null, null, 10, 1),

        // A, my-agent: scored 0.4 (a resumed run: 2 h between start and end, 10 min of active time), budget_exhausted, evaluation_error.
        Run("a6", "mini_baby_lm", "my-agent", RunOutcome.Scored, 0.4, 1, 7200, 0.30m, 30, 3) with { ResultJson = """{"elapsed":"00:10:00","status":"completed"}""" },
        Run("a7", "mini_baby_lm", "my-agent", RunOutcome.BudgetExhausted, null, 2, 900, 0.20m, 20, 2),
        Run("a8", "mini_baby_lm", "my-agent", RunOutcome.EvaluationError, null, 3, 100, 0.10m, 10, 1),

        // B, openai/gpt-4o: scored 0.25, invalid_submission, sandbox_error, agent_error. A stale score on a failed run must count as 0.
        Run("b1", "mini_llm_merging", null, RunOutcome.Scored, 0.25, 0, 60, null, 1000, 100),
        Run("b2", "mini_llm_merging", null, RunOutcome.InvalidSubmission, 0.9, 1, 120, null, 1000, 100),
        Run("b3", "mini_llm_merging", null, RunOutcome.SandboxError, null, 2, 180, null, 1000, 100),
        Run("b4", "mini_llm_merging", null, RunOutcome.AgentError, null, 3, 240, null, 1000, 100),

        // B, my-agent: one scored run.
        Run("b5", "mini_llm_merging", "my-agent", RunOutcome.Scored, 0.3, 5, 30, 0.05m, 5, 5),
    ];

    private async Task<ResultsReport> LoadAsync(ResultsFilter? filter = null)
    {
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(_dir, "runs.db"));
        if ((await store.ListRunsAsync()).Count == 0)
        {
            foreach (var run in Seed())
            {
                await store.CreateRunAsync(run);
            }
        }

        return await ResultsLedger.LoadAsync(store, filter);
    }

    [Test]
    public async Task OneRowPerTaskAndAgent_OrderedByTaskThenAgent()
    {
        var report = await LoadAsync();
        Assert.That(report.Summaries.Select(s => (s.Task, s.Agent)), Is.EqualTo(new[]
        {
            ("mini_baby_lm", "my-agent"), ("mini_baby_lm", "openai/gpt-4o"), ("mini_llm_merging", "my-agent"), ("mini_llm_merging", "openai/gpt-4o"),
        }));
        Assert.That(report.Runs, Has.Count.EqualTo(13));
    }

    [Test]
    public async Task TaskA_Gpt4o_FailuresCountAsZero_PendingRunsInNoMean()
    {
        var s = (await LoadAsync()).Summaries.Single(r => r.Task == "mini_baby_lm" && r.Agent == "openai/gpt-4o");

        Assert.That((s.Runs, s.Finished, s.Pending, s.Scored), Is.EqualTo((5, 4, 1, 2)));
        Assert.That((s.AgentFailures, s.InfrastructureFailures), Is.EqualTo((1, 1)));
        Assert.That(s.Failures["no_submission"], Is.EqualTo(1));
        Assert.That(s.Failures["provider_error"], Is.EqualTo(1));
        Assert.That(s.Failures.Where(f => f.Key is not "no_submission" and not "provider_error").Select(f => f.Value), Is.All.Zero);
        Assert.That(s.Failures.Keys, Is.EquivalentTo(new[] { "no_submission", "budget_exhausted", "invalid_submission", "agent_error", "provider_error", "sandbox_error", "evaluation_error" }));

        // Counted scores 0.5, 0.7, 0, 0: mean 1.2 / 4 = 0.3; deviations 0.2, 0.4, -0.3, -0.3 -> sum of squares 0.38.
        Assert.That(s.MeanScore, Is.EqualTo(0.3).Within(1e-12));
        Assert.That(s.StandardError, Is.EqualTo(Math.Sqrt(0.38 / 3 / 4)).Within(1e-12));

        // Scored only: 0.5, 0.7 -> mean 0.6; deviations +-0.1 -> variance 0.02 / 1, SE sqrt(0.02 / 2) = 0.1.
        Assert.That(s.MeanScoredScore, Is.EqualTo(0.6).Within(1e-12));
        Assert.That(s.StandardErrorScored, Is.EqualTo(0.1).Within(1e-12));
        Assert.That((s.BestScore, s.BestRunId), Is.EqualTo(((double?)0.7, "a2")));

        // Cost known for a1, a2, a3: 3.50 over 3 runs. Tokens over all 5 runs: 360 + 36 = 396, 79.2 per run.
        Assert.That(s.TotalCostUsd, Is.EqualTo(3.50m));
        Assert.That(s.MeanCostUsd, Is.EqualTo(3.50m / 3));
        Assert.That((s.InputTokens, s.OutputTokens), Is.EqualTo((360L, 36L)));
        Assert.That(s.MeanTokens, Is.EqualTo(79.2).Within(1e-12));

        // Wall time of the 4 ended runs: 600 + 1200 + 300 + 60 = 2160 s, 540 s each.
        Assert.That(s.TotalWallSeconds, Is.EqualTo(2160).Within(1e-9));
        Assert.That(s.MeanWallSeconds, Is.EqualTo(540).Within(1e-9));
    }

    [Test]
    public async Task TaskA_LabelledAgent_ActiveTimeFromTheResult_OneScoredRunHasNoScoredSE()
    {
        var s = (await LoadAsync()).Summaries.Single(r => r.Task == "mini_baby_lm" && r.Agent == "my-agent");

        Assert.That((s.Runs, s.Finished, s.Pending, s.Scored, s.AgentFailures, s.InfrastructureFailures), Is.EqualTo((3, 3, 0, 1, 1, 1)));
        Assert.That((s.Failures["budget_exhausted"], s.Failures["evaluation_error"]), Is.EqualTo((1, 1)));

        // Counted 0.4, 0, 0: mean 0.4/3; deviations 0.4 - 0.4/3 = 0.8/3 and -0.4/3 twice.
        var mean = 0.4 / 3;
        var squares = (0.8 / 3 * (0.8 / 3)) + (2 * (0.4 / 3 * (0.4 / 3)));
        Assert.That(s.MeanScore, Is.EqualTo(mean).Within(1e-12));
        Assert.That(s.StandardError, Is.EqualTo(Math.Sqrt(squares / 2 / 3)).Within(1e-12));
        Assert.That(s.MeanScoredScore, Is.EqualTo(0.4).Within(1e-12));
        Assert.That(s.StandardErrorScored, Is.Null, "one scored run has no standard error");
        Assert.That(s.TotalCostUsd, Is.EqualTo(0.60m));
        Assert.That(s.MeanCostUsd, Is.EqualTo(0.20m));

        // a6 was resumed: its result says 10 minutes of active time (600 s), not the 2 hours between start and end.
        Assert.That(s.TotalWallSeconds, Is.EqualTo(600 + 900 + 100).Within(1e-9));
        Assert.That(s.MeanWallSeconds, Is.EqualTo(1600.0 / 3).Within(1e-9));
    }

    [Test]
    public async Task TaskB_Gpt4o_AScoreStoredOnAFailedRunCountsAsZero()
    {
        var s = (await LoadAsync()).Summaries.Single(r => r.Task == "mini_llm_merging" && r.Agent == "openai/gpt-4o");

        Assert.That((s.Runs, s.Scored, s.AgentFailures, s.InfrastructureFailures), Is.EqualTo((4, 1, 2, 1)));
        Assert.That((s.Failures["invalid_submission"], s.Failures["sandbox_error"], s.Failures["agent_error"]), Is.EqualTo((1, 1, 1)));

        // Counted 0.25, 0, 0, 0 (b2's stored 0.9 is not a score: it was not scored). Mean 0.0625;
        // deviations 0.1875, -0.0625 x3 -> squares 0.03515625 + 3 * 0.00390625 = 0.046875.
        Assert.That(s.MeanScore, Is.EqualTo(0.0625).Within(1e-12));
        Assert.That(s.StandardError, Is.EqualTo(Math.Sqrt(0.046875 / 3 / 4)).Within(1e-12));
        Assert.That(s.MeanScoredScore, Is.EqualTo(0.25).Within(1e-12));
        Assert.That((s.BestScore, s.BestRunId), Is.EqualTo(((double?)0.25, "b1")));
        Assert.That(s.TotalCostUsd, Is.Null, "no run has a known cost");
        Assert.That(s.MeanCostUsd, Is.Null);
        Assert.That(s.MeanTokens, Is.EqualTo(1100).Within(1e-12));

        var b2 = (await LoadAsync(new ResultsFilter { Task = "mini_llm_merging" })).Runs.Single(r => r.RunId == "b2");
        Assert.That((b2.Score, b2.CountedScore, b2.Category), Is.EqualTo(((double?)null, (double?)0, "agent_failure")));
    }

    [Test]
    public async Task TaskB_LabelledAgent_OneRun_NoStandardErrors()
    {
        var s = (await LoadAsync()).Summaries.Single(r => r.Task == "mini_llm_merging" && r.Agent == "my-agent");
        Assert.That((s.Runs, s.Scored, s.MeanScore, s.MeanScoredScore, s.BestScore), Is.EqualTo((1, 1, (double?)0.3, (double?)0.3, (double?)0.3)));
        Assert.That(s.StandardError, Is.Null);
        Assert.That(s.StandardErrorScored, Is.Null);
    }

    [Test]
    public async Task Filters_ByTaskAgentAndRunIds_CaseInsensitive()
    {
        var byTask = await LoadAsync(new ResultsFilter { Task = "MINI_BABY_LM" });
        Assert.That(byTask.Runs.Select(r => r.RunId), Is.EquivalentTo(new[] { "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8" }));

        var byAgent = await LoadAsync(new ResultsFilter { Agent = "OpenAI/GPT-4o" });
        Assert.That(byAgent.Summaries.Select(s => s.Agent).Distinct(), Is.EqualTo(new[] { "openai/gpt-4o" }));
        Assert.That(byAgent.Runs, Has.Count.EqualTo(9));

        var both = await LoadAsync(new ResultsFilter { Task = "mini_llm_merging", Agent = "my-agent" });
        Assert.That(both.Runs.Select(r => r.RunId), Is.EqualTo(new[] { "b5" }));

        var ids = await LoadAsync(new ResultsFilter { RunIds = ["a1", "b1", "nope"] });
        Assert.That(ids.Runs.Select(r => r.RunId), Is.EqualTo(new[] { "a1", "b1" }));
        Assert.That(ids.Summaries.Select(s => s.Runs), Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void AgentName_PrefersTheLabel_ThenProviderSlashModel()
    {
        var run = Run("x", "t", null, null, null, 0, null, null, 0, 0);
        Assert.That(ResultsLedger.AgentName(run), Is.EqualTo("openai/gpt-4o"));
        Assert.That(ResultsLedger.AgentName(run with { Label = "mine" }), Is.EqualTo("mine"));
        Assert.That(ResultsLedger.AgentName(run with { Label = "  " }), Is.EqualTo("openai/gpt-4o"));
        Assert.That(ResultsLedger.AgentName(run with { Model = null }), Is.EqualTo("openai"));
        Assert.That(ResultsLedger.AgentName(run with { Provider = null, Model = null }), Is.EqualTo("unknown"));
    }

    [Test]
    public async Task Json_RoundTripsEveryNumber_WithOutcomeNames()
    {
        var report = await LoadAsync();
        var json = report.ToJson();

        Assert.That(json, Does.Contain("\"mean_scored_score\"").And.Contain("\"outcome\": \"no_submission\"").And.Contain("\"outcome\": null"));
        var back = ResultsReport.FromJson(json);
        Assert.That(back.Runs, Is.EqualTo(report.Runs));
        for (var i = 0; i < report.Summaries.Count; i++)
        {
            Assert.That(back.Summaries[i] with { Failures = report.Summaries[i].Failures }, Is.EqualTo(report.Summaries[i]));
            Assert.That(back.Summaries[i].Failures, Is.EquivalentTo(report.Summaries[i].Failures));
        }
    }

    [Test]
    public void NoRuns_GivesAnEmptyReport()
    {
        var report = ResultsLedger.Summarize([]);
        Assert.That(report.Summaries, Is.Empty);
        Assert.That(ResultsFormatter.ToTable(report), Is.EqualTo("No runs match.\n"));
    }
}
