using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Tests;

public class AgentRunResultTests
{
    private static readonly AgentRunResult Result = new()
    {
        TaskName = "mini_baby_lm",
        RunId = "20260101-000000-abcdef",
        Status = RunStatus.Completed,
        StopReason = "submitted",
        Submission = new Submission { Metrics = new Dictionary<string, string> { ["val_loss"] = "3.1" }, ModelPath = "model/" },
        InputTokens = 12_000,
        OutputTokens = 3_456,
        CostUsd = 0.0646m,
        Actions = 17,
        Elapsed = TimeSpan.FromMinutes(90),
    };

    [Test]
    public void Table_HasTheReferenceColumnsAndTheAdditions()
    {
        var table = Result.ToMarkdownTable();

        Assert.That(table, Does.StartWith("| Metric"));
        foreach (var row in new[] { "| Task Name", "| Run ID", "| Submission", "| Model Path", "| Total Tokens", "| Actions", "| Time Taken in Seconds", "| Input Tokens", "| Output Tokens", "| Cost (USD)" })
        {
            Assert.That(table, Does.Contain(row));
        }

        Assert.That(table, Does.Contain("15,456").And.Contain("val_loss=3.1").And.Contain("5400.0").And.Contain("1.500").And.Contain("0.0646"));
    }

    [Test]
    public void Json_RoundTrips_WithStatusAsText()
    {
        var json = Result.ToJson();
        var back = AgentRunResult.FromJson(json);

        Assert.That(json, Does.Contain("\"status\": \"completed\"").And.Contain("\"modelPath\": \"model/\"").And.Contain("\"totalTokens\": 15456"));
        Assert.That(back.Submission!.Metrics["val_loss"], Is.EqualTo("3.1"));
        Assert.That(back.Elapsed, Is.EqualTo(TimeSpan.FromMinutes(90)));
        Assert.That(back.CostUsd, Is.EqualTo(0.0646m));
    }

    [TestCase(RunOutcome.Scored, "scored")]
    [TestCase(RunOutcome.BudgetExhausted, "budget_exhausted")]
    [TestCase(RunOutcome.EvaluationError, "evaluation_error")]
    public void Outcome_IsWrittenAsItsSnakeCaseName_AndReadBack(RunOutcome outcome, string name)
    {
        var scored = Result with { Outcome = outcome, OutcomeDetail = "detail", Score = outcome == RunOutcome.Scored ? 0.5123 : null, ScoreName = "blimp" };

        var json = scored.ToJson();
        var back = AgentRunResult.FromJson(json);

        Assert.That(json, Does.Contain($"\"outcome\": \"{name}\""));
        Assert.That((back.Outcome, back.OutcomeDetail, back.Score), Is.EqualTo((outcome, "detail", scored.Score)));
        var table = scored.ToMarkdownTable();
        Assert.That(table, Does.Contain($"| Outcome ").And.Contain(name + " (detail)"));
        Assert.That(table, Does.Contain(outcome == RunOutcome.Scored ? "0.5123 (blimp)" : "0.0000 (counted as 0: not scored)"));
    }

    [Test]
    public void Outcome_UnknownName_FailsToRead()
    {
        var json = Result.ToJson().Replace("\"outcome\": null", "\"outcome\": \"exploded\"", StringComparison.Ordinal);

        Assert.That(() => AgentRunResult.FromJson(json), Throws.InstanceOf<System.Text.Json.JsonException>().With.Message.Contains("exploded"));
    }
}
