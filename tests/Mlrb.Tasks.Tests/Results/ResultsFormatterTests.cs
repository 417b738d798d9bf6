using Mlrb.Tasks.Results;
using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Tests.Results;

public class ResultsFormatterTests
{
    private static ResultsReport Report() => ResultsLedger.Summarize(ResultsLedgerTests.Seed());

    [Test]
    public void Table_RowPerTaskAndAgent_RoundedScores_FailuresTable_AndTheCountingNote()
    {
        var text = ResultsFormatter.ToTable(Report());
        var tables = text.Split("\n\n");
        Assert.That(tables, Has.Length.EqualTo(3), "summary, failures, note");

        var gpt = tables[0].Split('\n').Single(l => l.StartsWith("| mini_baby_lm", StringComparison.Ordinal) && l.Contains("openai/gpt-4o", StringComparison.Ordinal));
        var cells = gpt.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        // Task, Agent, Runs, Scored, Agent fail, Infra fail, Pending, Mean, SE, Mean scored, Best, Best run, Cost, Cost/run, Tokens, Wall/run
        Assert.That(cells, Is.EqualTo(new[] { "mini_baby_lm", "openai/gpt-4o", "5", "2", "1", "1", "1", "0.300", "0.178", "0.600", "0.700", "a2", "$3.50", "$1.1667", "396", "9m00s" }));

        var failures = tables[1].Split('\n').Single(l => l.StartsWith("| mini_llm_merging", StringComparison.Ordinal) && l.Contains("openai/gpt-4o", StringComparison.Ordinal));
        Assert.That(failures.Trim('|').Split('|').Select(c => c.Trim()), Is.EqualTo(new[] { "mini_llm_merging", "openai/gpt-4o", "0", "0", "1", "1", "0", "1", "0" }));
        Assert.That(text, Does.Contain("provider_error (infra)").And.Contain("sandbox_error (infra)").And.Contain("evaluation_error (infra)"));
        Assert.That(text, Does.Contain("failed run scores 0.000"));
    }

    [Test]
    public void RunsTable_ListsEveryRun_PendingAndCountedZeros()
    {
        var text = ResultsFormatter.ToRunsTable(Report());
        var a5 = text.Split('\n').Single(l => l.Contains("| a5 ", StringComparison.Ordinal));
        Assert.That(a5, Does.Contain("pending"));
        var a3 = text.Split('\n').Single(l => l.Contains("| a3 ", StringComparison.Ordinal));
        Assert.That(a3, Does.Contain("no_submission").And.Contain("0.000").And.Contain("detail of a3").And.Contain("2026-11-01 08:20:00"));
        Assert.That(text.Split('\n').Count(l => l.StartsWith("| mini_", StringComparison.Ordinal)), Is.EqualTo(13));
    }

    [Test]
    public void Csv_FullPrecision_OneColumnPerFailureOutcome_QuotesWhatNeedsIt()
    {
        var csv = ResultsFormatter.ToCsv(Report());
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(',')).ToList();
        var header = rows[0];
        Assert.That(header, Does.Contain("no_submission").And.Contain("evaluation_error").And.Contain("mean_scored_score"));
        var row = rows.Single(r => r[0] == "mini_baby_lm" && r[1] == "my-agent");
        string Cell(string name) => row[Array.IndexOf(header, name)];
        Assert.That(double.Parse(Cell("mean_score"), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(0.4 / 3).Within(1e-15));
        Assert.That(Cell("budget_exhausted"), Is.EqualTo("1"));
        Assert.That(Cell("standard_error_scored"), Is.Empty);
        Assert.That(Cell("total_cost_usd"), Is.EqualTo("0.60"));

        var run = new Mlrb.Tasks.Storage.RunRecord
        {
            RunId = "q", TaskName = "t", WorkspacePath = "/w", Label = "a, \"quoted\"", StartedAt = DateTimeOffset.UnixEpoch,
            FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(1), Outcome = RunOutcome.AgentError, OutcomeDetail = "line1\nline2",
        };
        var runsCsv = ResultsFormatter.ToRunsCsv(ResultsLedger.Summarize([run]));
        Assert.That(runsCsv, Does.Contain("\"a, \"\"quoted\"\"\"").And.Contain("\"line1\nline2\""));
    }
}
