using System.Text.Json.Nodes;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Viewer;

/// <summary>A real SQLite run store with runs over two tasks and two agents, one run still going, a hostile tool output, and an evaluation report.</summary>
internal static class ViewerSeed
{
    public const string Hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

    public static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    /// <summary>(task, agent label, score or null for a failed run).</summary>
    public static readonly (string Task, string Agent, double? Score)[] Finished =
    [
        ("baby_lm", "alpha", 0.62), ("baby_lm", "alpha", 0.70), ("baby_lm", "alpha", null),
        ("baby_lm", "beta", 0.55), ("baby_lm", "beta", 0.59),
        ("mini_pile", "alpha", 0.31), ("mini_pile", "alpha", 0.35),
        ("mini_pile", "beta", 0.20), ("mini_pile", "beta", null), ("mini_pile", "beta", 0.26),
    ];

    public const string RunningId = "run-live";
    public const string DetailId = "run-00";

    public static async Task<string> CreateAsync(string folder)
    {
        var path = Path.Combine(folder, "mlrb.db");
        await using var store = await RunStoreFactory.OpenSqliteAsync(path);
        for (var i = 0; i < Finished.Length; i++)
        {
            var (task, agent, score) = Finished[i];
            var started = Start.AddHours(i);
            await store.CreateRunAsync(new RunRecord
            {
                RunId = $"run-{i:00}",
                TaskName = task,
                WorkspacePath = Path.Combine(folder, $"run-{i:00}"),
                Provider = "openai",
                Model = agent == "alpha" ? "gpt-4o" : "claude",
                Label = agent,
                Status = score is null ? RunStatus.Failed : RunStatus.Completed,
                StartedAt = started,
                FinishedAt = started.AddMinutes(50),
                TimeLimit = TimeSpan.FromHours(1),
                InputTokens = 1000 * (i + 1),
                OutputTokens = 100 * (i + 1),
                CostUsd = 0.01m * (i + 1),
                Outcome = score is null ? RunOutcome.AgentError : RunOutcome.Scored,
                OutcomeDetail = score is null ? "repeated malformed tool calls" : null,
                Score = score,
                ResultJson = """{"submission":{"modelPath":"model"}}""",
            });
        }

        await AddStepsAsync(store, DetailId, Start);
        await store.AddMessageAsync(new MessageRecord { RunId = DetailId, Agent = "supervisor", Role = "system", ContentJson = """{"role":"system","contents":[{"$type":"text","text":"You are the supervisor."}]}""", CreatedAt = Start });
        await store.AddMessageAsync(new MessageRecord { RunId = DetailId, Agent = "worker-1", Role = "assistant", ContentJson = """{"role":"assistant","contents":[{"$type":"functionCall","callId":"c1","name":"run_bash","arguments":{"command":"ls"}}]}""", InputTokens = 900, OutputTokens = 40, CreatedAt = Start.AddMinutes(1) });
        await store.AddMessageAsync(new MessageRecord { RunId = DetailId, Agent = "worker-1", Role = "tool", ContentJson = new JsonObject { ["role"] = "tool", ["contents"] = new JsonArray(new JsonObject { ["$type"] = "functionResult", ["callId"] = "c1", ["result"] = "TRANSCRIPT-MARKER " + Hostile }) }.ToJsonString(), CreatedAt = Start.AddMinutes(2) });
        await store.AddEvaluationAsync(new EvaluationRecord
        {
            RunId = DetailId,
            StartedAt = Start.AddMinutes(51),
            FinishedAt = Start.AddMinutes(55),
            Outcome = RunOutcome.Scored,
            Score = 0.62,
            ScoreName = "blimp",
            ModelPath = "model",
            ReportJson = Report("baby_lm", "blimp", [("anaphor_gender_agreement", 0.9), ("adjunct_island", 0.5)]).ToJsonString(),
        });

        await store.CreateRunAsync(new RunRecord
        {
            RunId = RunningId,
            TaskName = "baby_lm",
            WorkspacePath = Path.Combine(folder, RunningId),
            Provider = "openai",
            Model = "gpt-4o",
            Label = "alpha",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            TimeLimit = TimeSpan.FromHours(2),
        });
        await store.AddStepAsync(new StepRecord { RunId = RunningId, Agent = "supervisor", Kind = "plan", StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
        return path;
    }

    public static async Task AddStepsAsync(IRunStore store, string runId, DateTimeOffset start)
    {
        var plan = await store.AddStepAsync(new StepRecord { RunId = runId, Agent = "supervisor", Kind = "plan", ArgumentsJson = """{"subtasks":["train","submit"]}""", StartedAt = start });
        await store.CompleteStepAsync(plan, new StepCompletion(StepStatus.Succeeded, "1. train a small model 2. submit", null, start.AddMinutes(1), 500, 50));
        var tool = await store.AddStepAsync(new StepRecord { RunId = runId, Agent = "worker-1", Kind = "tool", Tool = "run_bash", CallId = "c1", ArgumentsJson = """{"command":"ls"}""", StartedAt = start.AddMinutes(2) });
        await store.CompleteStepAsync(tool, new StepCompletion(StepStatus.Succeeded, "STEP-MARKER " + Hostile, null, start.AddMinutes(3), 900, 40));
        var replan = await store.AddStepAsync(new StepRecord { RunId = runId, Agent = "supervisor", Kind = "plan", ArgumentsJson = """{"subtasks":["retry"]}""", StartedAt = start.AddMinutes(10) });
        await store.CompleteStepAsync(replan, new StepCompletion(StepStatus.Succeeded, "re-plan: retry training", null, start.AddMinutes(11)));
    }

    public static JsonObject Report(string task, string benchmark, (string Name, double Value)[] subtasks) => new()
    {
        ["task"] = task,
        ["benchmark"] = benchmark,
        ["partial"] = false,
        ["model"] = new JsonObject { ["path"] = "models/tiny", ["sha256"] = "abc123" },
        ["aggregates"] = new JsonArray(new JsonObject { ["name"] = benchmark, ["value"] = subtasks.Average(s => s.Value), ["stderr"] = 0.01, ["formula"] = "mean of subtasks" }),
        ["subtasks"] = new JsonArray(subtasks.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["group"] = benchmark,
            ["documents"] = 100,
            ["metrics"] = new JsonObject { ["acc"] = new JsonObject { ["value"] = s.Value, ["stderr"] = 0.05 } },
        }).ToArray()),
        ["statistics"] = new JsonObject { ["total_parameters"] = 1234567 },
        ["settings"] = new JsonObject { ["limit"] = "100" },
    };

    public static string TempFolder() => TestPaths.CreateTempDirectory("mlrb-view");
}
