using System.CommandLine;
using System.Text.Json;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb results</c> on a real SQLite store holding runs of two tasks by two agents; numbers computed by hand.</summary>
[NonParallelizable]
public class ResultsCommandTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    private string _dir = null!;
    private string _db = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = TestPaths.CreateTempDirectory("mlrb-cli-results");
        _db = Path.Combine(_dir, "mlrb.db");
        await using var store = await RunStoreFactory.OpenSqliteAsync(_db);
        // mini_baby_lm: openai/gpt-4o scores 0.6 and 0.4 and has one budget_exhausted run; "mine" scores 0.5 and has a sandbox_error.
        // mini_llm_merging: openai/gpt-4o has one no_submission run; "mine" scores 0.2.
        await store.CreateRunAsync(Run("r1", "mini_baby_lm", null, RunOutcome.Scored, 0.6, 100, 1.5m));
        await store.CreateRunAsync(Run("r2", "mini_baby_lm", null, RunOutcome.Scored, 0.4, 200, 0.5m));
        await store.CreateRunAsync(Run("r3", "mini_baby_lm", null, RunOutcome.BudgetExhausted, null, 300, 1.0m));
        await store.CreateRunAsync(Run("r4", "mini_baby_lm", "mine", RunOutcome.Scored, 0.5, 50, null));
        await store.CreateRunAsync(Run("r5", "mini_baby_lm", "mine", RunOutcome.SandboxError, null, 10, null));
        await store.CreateRunAsync(Run("r6", "mini_llm_merging", null, RunOutcome.NoSubmission, null, 60, 0.25m));
        await store.CreateRunAsync(Run("r7", "mini_llm_merging", "mine", RunOutcome.Scored, 0.2, 70, null));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static RunRecord Run(string id, string task, string? label, RunOutcome outcome, double? score, int seconds, decimal? cost) => new()
    {
        RunId = id,
        TaskName = task,
        WorkspacePath = "/tmp/" + id,
        Provider = "openai",
        Model = "gpt-4o",
        Label = label,
        Status = RunStatus.Completed,
        StartedAt = T0,
        FinishedAt = T0.AddSeconds(seconds),
        Outcome = outcome,
        Score = score,
        CostUsd = cost,
        InputTokens = 1000,
        OutputTokens = 100,
    };

    [Test]
    public void Json_EveryNumberMatchesTheHandComputation()
    {
        var (code, stdout, stderr) = CliInvoker.Run("results", "--db", _db, "--json");
        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var summaries = json.RootElement.GetProperty("summaries").EnumerateArray().ToList();
        Assert.That(summaries.Select(s => $"{s.GetProperty("task").GetString()}|{s.GetProperty("agent").GetString()}"),
            Is.EqualTo(new[] { "mini_baby_lm|mine", "mini_baby_lm|openai/gpt-4o", "mini_llm_merging|mine", "mini_llm_merging|openai/gpt-4o" }));

        var gpt = summaries[1];
        Assert.That(gpt.GetProperty("runs").GetInt32(), Is.EqualTo(3));
        Assert.That(gpt.GetProperty("scored").GetInt32(), Is.EqualTo(2));
        Assert.That(gpt.GetProperty("failures").GetProperty("budget_exhausted").GetInt32(), Is.EqualTo(1));
        Assert.That(gpt.GetProperty("agent_failures").GetInt32(), Is.EqualTo(1));
        // (0.6 + 0.4 + 0) / 3; deviations 0.8/3, 0.2/3, -1/3 -> sum of squares (0.64 + 0.04 + 1) / 9 = 0.56 / 3.
        Assert.That(gpt.GetProperty("mean_score").GetDouble(), Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(gpt.GetProperty("standard_error").GetDouble(), Is.EqualTo(Math.Sqrt(0.56 / 3 / 2 / 3)).Within(1e-12));
        Assert.That(gpt.GetProperty("mean_scored_score").GetDouble(), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(gpt.GetProperty("standard_error_scored").GetDouble(), Is.EqualTo(0.1).Within(1e-12));
        Assert.That(gpt.GetProperty("best_score").GetDouble(), Is.EqualTo(0.6));
        Assert.That(gpt.GetProperty("best_run_id").GetString(), Is.EqualTo("r1"));
        Assert.That(gpt.GetProperty("total_cost_usd").GetDecimal(), Is.EqualTo(3.0m));
        Assert.That(gpt.GetProperty("mean_cost_usd").GetDecimal(), Is.EqualTo(1.0m));
        Assert.That(gpt.GetProperty("input_tokens").GetInt64(), Is.EqualTo(3000));
        Assert.That(gpt.GetProperty("total_wall_seconds").GetDouble(), Is.EqualTo(600));
        Assert.That(gpt.GetProperty("mean_wall_seconds").GetDouble(), Is.EqualTo(200));

        var mine = summaries[0];
        Assert.That(mine.GetProperty("mean_score").GetDouble(), Is.EqualTo(0.25).Within(1e-12));
        Assert.That(mine.GetProperty("mean_scored_score").GetDouble(), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(mine.GetProperty("infrastructure_failures").GetInt32(), Is.EqualTo(1));
        Assert.That(mine.GetProperty("failures").GetProperty("sandbox_error").GetInt32(), Is.EqualTo(1));
        Assert.That(mine.GetProperty("total_cost_usd").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var noSubmission = summaries[3];
        Assert.That(noSubmission.GetProperty("mean_score").GetDouble(), Is.Zero);
        Assert.That(noSubmission.GetProperty("mean_scored_score").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.That(runs, Has.Count.EqualTo(7));
        Assert.That(runs.Single(r => r.GetProperty("run_id").GetString() == "r3").GetProperty("outcome").GetString(), Is.EqualTo("budget_exhausted"));
    }

    [Test]
    public void Table_FilteredByTaskAndAgent_AndRunsListed()
    {
        var (code, stdout, stderr) = CliInvoker.Run("results", "--db", _db, "--task", "mini_baby_lm", "--agent", "mine", "--runs");
        Assert.That(code, Is.Zero, stderr);
        var row = stdout.Split('\n').First(l => l.StartsWith("| mini_baby_lm", StringComparison.Ordinal));
        Assert.That(row.Trim('|').Split('|').Select(c => c.Trim()).Take(11), Is.EqualTo(new[] { "mini_baby_lm", "mine", "2", "1", "0", "1", "0", "0.250", "0.250", "0.500", "0.500" }));
        Assert.That(stdout, Does.Contain("| r4 ").And.Contain("| r5 ").And.Contain("sandbox_error"));
        Assert.That(stdout, Does.Not.Contain("openai/gpt-4o").And.Not.Contain("mini_llm_merging"));
    }

    [Test]
    public void Csv_HasAHeaderAndOneRowPerTaskAndAgent()
    {
        var (code, stdout, _) = CliInvoker.Run("results", "--db", _db, "--csv");
        Assert.That(code, Is.Zero);
        var rows = stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows, Has.Length.EqualTo(5));
        Assert.That(rows[0], Does.StartWith("task,agent,runs,"));
        Assert.That(rows[3], Does.StartWith("mini_llm_merging,mine,1,1,0,1,"));

        var (runsCode, runsCsv, _) = CliInvoker.Run("results", "--db", _db, "--csv", "--runs");
        Assert.That(runsCode, Is.Zero);
        Assert.That(runsCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(8));
    }

    [Test]
    public void MissingStore_IsAOneLineError_AndNothingIsCreated()
    {
        var missing = Path.Combine(_dir, "nope", "mlrb.db");
        var (code, _, stderr) = CliInvoker.Run("results", "--db", missing);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim(), Does.StartWith("mlrb results: no run store at"));
        Assert.That(Directory.Exists(Path.GetDirectoryName(missing)), Is.False);
    }

    [Test]
    public void JsonAndCsv_CannotBeCombined()
    {
        var (code, _, stderr) = CliInvoker.Run("results", "--db", _db, "--json", "--csv");
        Assert.That(code, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("--json and --csv"));
    }

    [Test]
    public void NoMatchingRuns_SaysSo()
    {
        var (code, stdout, _) = CliInvoker.Run("results", "--db", _db, "--task", "baby_lm");
        Assert.That(code, Is.Zero);
        Assert.That(stdout.Trim(), Is.EqualTo("No runs match."));
    }
}
