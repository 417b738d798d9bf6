using System.Text.Json.Nodes;
using Mlrb.Agents;
using Mlrb.Cli.Tests.Run;
using Mlrb.Eval.Evaluation;
using Mlrb.Tasks;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary>
/// Every run ends in one stored outcome: replay scripts play the agent against the real tools, sandbox, store and the
/// scoring child process (a real <c>mlrb eval</c>).
/// </summary>
public class SubmissionScoringTests
{
    private static readonly string TinyGpt2 = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");
    private static readonly string SampleData = Path.Combine(TestPaths.RepositoryRoot, "samples", "data");
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-scoring");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static JsonObject Call(string tool, object arguments, string? text = null) => new()
    {
        ["text"] = text ?? "working",
        ["tool"] = tool,
        ["arguments"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(arguments)),
    };

    private static JsonObject CopyTinyGpt2() => Call("run_bash", new { script = $"cp -r '{TinyGpt2}' model && ls model" });

    private static JsonObject Submit() => Call("return_fn", new { submission = "{\"note\": \"done\"}", model_path = "model" });

    private string Script(params JsonObject[] turns)
    {
        var path = Path.Combine(_dir, $"script-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, turns.Select(t => t.ToJsonString()));
        return path;
    }

    private async Task<(int Exit, CliProcess Cli, RunRecord Run, IReadOnlyList<EvaluationRecord> Evaluations)> RunAsync(string task, string script, string runId, params string[] extra)
    {
        var workdir = Path.Combine(_dir, "runs");
        using var cli = new CliProcess(["run", task, "--provider", "replay", "--transcript", script, "--workdir", workdir, "--run-id", runId, .. extra]);
        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(3));
        TestContext.Out.WriteLine(cli.Stderr);
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workdir, "mlrb.db"));
        var run = (await store.GetRunAsync(runId))!;
        return (exit, cli, run, await store.GetEvaluationsAsync(runId));
    }

    [Test]
    public async Task ValidTinyModel_IsScoredInAChildProcess_WithTheSameScoreAsInProcess()
    {
        var (exit, cli, run, evaluations) = await RunAsync("mini_baby_lm", Script(CopyTinyGpt2(), Submit()), "ok-1", "--eval-data", SampleData);

        Assert.That(exit, Is.Zero, cli.Stderr);
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Scored), run.OutcomeDetail);
        var evaluation = evaluations.Single();
        Assert.That(evaluation.Outcome, Is.EqualTo(RunOutcome.Scored));
        Assert.That(evaluation.ScoreName, Is.EqualTo("blimp"));
        Assert.That(evaluation.ReportJson, Does.Contain("\"blimp_passive_1\""));
        Assert.That(evaluation.ModelSha256, Has.Length.EqualTo(64));

        var inProcess = await TaskEvaluator.EvaluateAsync(TaskCatalog.Builtin.GetTask("mini_baby_lm"), new TaskEvaluationOptions { ModelDirectory = TinyGpt2, DataDirectory = SampleData });
        Assert.That(run.Score, Is.EqualTo(inProcess.Score), "the child scores exactly as the library does");
        Assert.That(evaluation.Score, Is.EqualTo(run.Score));
        var result = AgentRunResult.FromJson(run.ResultJson!);
        Assert.That((result.Outcome, result.Score), Is.EqualTo((RunOutcome.Scored, run.Score)));
        Assert.That(cli.Stdout, Does.Contain("| Outcome").And.Contain("scored"));
    }

    [Test]
    public async Task NoSubmission_IsStoredAsNoSubmission_WithNothingScored()
    {
        var (exit, _, run, evaluations) = await RunAsync("mini_baby_lm", Script(new JsonObject { ["text"] = "I cannot do this task." }), "none-1", "--eval-data", SampleData);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That((run.Outcome, run.Score), Is.EqualTo((RunOutcome.NoSubmission, (double?)null)));
        Assert.That(evaluations, Is.Empty);
    }

    [Test]
    public async Task OverTheTokenBudget_IsBudgetExhausted_NamingTokens()
    {
        var spend = Call("thought", new { thought = "think hard" });
        spend["usage"] = new JsonObject { ["input_tokens"] = 5000, ["output_tokens"] = 10 };

        var (exit, _, run, evaluations) = await RunAsync("mini_baby_lm", Script(spend, spend, CopyTinyGpt2(), Submit()), "budget-1", "--eval-data", SampleData, "--max-tokens", "1000");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.BudgetExhausted));
        Assert.That(run.OutcomeDetail, Does.StartWith("tokens"));
        Assert.That(run.Score, Is.Null);
        Assert.That(evaluations, Is.Empty);
    }

    [Test]
    public async Task Bf16Model_OnAnEdgeTask_IsAnInvalidSubmission_NamingThePrecisionRule()
    {
        const string makeBf16 = """
            import json, os, struct
            os.makedirs("model", exist_ok=True)
            header = json.dumps({"w": {"dtype": "BF16", "shape": [2, 2], "data_offsets": [0, 8]}}).encode()
            with open("model/model.safetensors", "wb") as f:
                f.write(struct.pack("<Q", len(header)) + header + bytes(8))
            json.dump({"model_type": "gpt2", "vocab_size": 4}, open("model/config.json", "w"))
            """;

        var (exit, _, run, evaluations) = await RunAsync(
            "edge_llm_training", Script(Call("write_code", new { path = "make.py", code = makeBf16 }), Call("run_python", new { filepath = "make.py" }), Submit()), "bf16-1", "--eval-data", SampleData);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
        Assert.That(run.OutcomeDetail, Does.Contain("allowed_precisions").And.Contain("BF16"));
        Assert.That(run.Score, Is.Null);
        Assert.That(evaluations.Single().Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
    }

    [Test]
    public async Task GarbageModelFolder_IsAnInvalidSubmission()
    {
        var (exit, _, run, _) = await RunAsync(
            "mini_baby_lm",
            Script(
                Call("write_code", new { path = "model/config.json", code = "{ not json" }),
                Call("write_code", new { path = "model/model.safetensors", code = "garbage bytes" }),
                Submit()),
            "garbage-1",
            "--eval-data",
            SampleData);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
        Assert.That(run.OutcomeDetail, Does.StartWith("loadable_model"));
    }

    [Test]
    public async Task MissingEvaluationData_IsAnEvaluationError_AndEvalRunRescoresTheStoredRun()
    {
        var (exit, _, run, _) = await RunAsync("mini_baby_lm", Script(CopyTinyGpt2(), Submit()), "nodata-1", "--eval-data", Path.Combine(_dir, "no-such-data"));

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        Assert.That(run.OutcomeDetail, Does.Contain("data folder not found"));

        var db = Path.Combine(_dir, "runs", "mlrb.db");
        using var eval = new CliProcess("eval", "--run", "nodata-1", "--db", db, "--data", SampleData, "--json");
        Assert.That(await eval.WaitAsync(TimeSpan.FromMinutes(2)), Is.Zero, eval.Stderr);
        var json = JsonNode.Parse(eval.Stdout)!;
        Assert.That(json["outcome"]!.GetValue<string>(), Is.EqualTo("scored"));

        await using var store = await RunStoreFactory.OpenSqliteAsync(db);
        var evaluations = await store.GetEvaluationsAsync("nodata-1");
        Assert.That(evaluations.Select(e => e.Outcome), Is.EqualTo(new[] { RunOutcome.EvaluationError, RunOutcome.Scored }));
        var rescored = (await store.GetRunAsync("nodata-1"))!;
        Assert.That((rescored.Outcome, rescored.Score), Is.EqualTo((RunOutcome.Scored, evaluations[1].Score)));
        Assert.That(json["score"]!.GetValue<double>(), Is.EqualTo(evaluations[1].Score));
    }

    [Test]
    public async Task ScoringThatHangs_IsKilledAtItsTimeLimit_AsAnEvaluationError_WithTheStoreIntact()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("needs a named pipe (mkfifo)");
        }

        // A BLiMP file that is a FIFO nobody writes: the scorer blocks opening it, for ever.
        var data = Path.Combine(_dir, "hanging-data");
        Directory.CreateDirectory(Path.Combine(data, "blimp"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(data, "blimp", "passive_1.jsonl")))
        {
            await mkfifo.WaitForExitAsync();
        }

        var started = DateTime.UtcNow;
        var (exit, _, run, evaluations) = await RunAsync("mini_baby_lm", Script(CopyTinyGpt2(), Submit()), "hang-1", "--eval-data", data, "--eval-timeout", "4s");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(90)));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        Assert.That(run.OutcomeDetail, Does.Contain("time limit").And.Contain("killed"));
        Assert.That(evaluations.Single().Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        await AssertStoreIntactAsync("hang-1");
        Assert.That(ChildrenScoring(Path.Combine(_dir, "runs", "hang-1", "model")), Is.Empty, "the scoring process group is gone");
    }

    [Test]
    public async Task ScoringOverItsMemoryLimit_IsKilled_AsAnEvaluationError_WithTheStoreIntact()
    {
        // 8 MB cannot hold the runtime's start-up, let alone a model: the child is killed (or dies on its heap cap).
        var (exit, _, run, evaluations) = await RunAsync("mini_baby_lm", Script(CopyTinyGpt2(), Submit()), "oom-1", "--eval-data", SampleData, "--eval-memory-limit", "8MB");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        Assert.That(run.OutcomeDetail, Does.Contain("crashed").Or.Contain("memory limit"));
        Assert.That(evaluations.Single().Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        await AssertStoreIntactAsync("oom-1");
    }

    [Test]
    public async Task ScoringProcessThatCrashes_IsAnEvaluationError_WithTheStoreIntact()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("needs a named pipe (mkfifo) and /proc");
        }

        // The scorer blocks on a FIFO; the test then kills it with SIGKILL, as the kernel's OOM killer would.
        var data = Path.Combine(_dir, "fifo-data");
        Directory.CreateDirectory(Path.Combine(data, "blimp"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(data, "blimp", "passive_1.jsonl")))
        {
            await mkfifo.WaitForExitAsync();
        }

        var model = Path.Combine(_dir, "runs", "crash-1", "model");
        var killer = Task.Run(async () =>
        {
            for (var i = 0; i < 1200; i++)
            {
                if (ChildrenScoring(model) is [var pid, ..])
                {
                    await Task.Delay(500);
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                    return true;
                }

                await Task.Delay(100);
            }

            return false;
        });

        var (exit, _, run, evaluations) = await RunAsync("mini_baby_lm", Script(CopyTinyGpt2(), Submit()), "crash-1", "--eval-data", data, "--eval-timeout", "10m");

        Assert.That(await killer, Is.True, "the scoring child was found and killed");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        Assert.That(run.OutcomeDetail, Does.Contain("crashed (exit code 137)"));
        Assert.That(evaluations.Single().Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        await AssertStoreIntactAsync("crash-1");
    }

    [Test]
    public async Task CustomTaskFromATasksDir_IsRunAndEvaluated()
    {
        var tasks = Directory.CreateDirectory(Path.Combine(_dir, "tasks")).FullName;
        var custom = TaskCatalog.Builtin.GetTask("mini_baby_lm") with { Name = "my_tiny_blimp", FullName = "My tiny BLiMP task", Suite = BenchmarkSuite.Full, BaseTask = null, MaxParameters = 1_000_000 };
        File.WriteAllText(Path.Combine(tasks, "my_tiny_blimp.yaml"), TaskFile.ToYaml(custom));

        var (exit, cli, run, _) = await RunAsync("my_tiny_blimp", Script(CopyTinyGpt2(), Submit()), "custom-1", "--eval-data", SampleData, "--tasks-dir", tasks);

        Assert.That(exit, Is.Zero, cli.Stderr);
        Assert.That(run.TaskName, Is.EqualTo("my_tiny_blimp"));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Scored), run.OutcomeDetail);

        using var withoutDir = new CliProcess("eval", "--run", "custom-1", "--db", Path.Combine(_dir, "runs", "mlrb.db"), "--data", SampleData);
        Assert.That(await withoutDir.WaitAsync(TimeSpan.FromMinutes(2)), Is.EqualTo(1));
        Assert.That(withoutDir.Stdout, Does.Contain("evaluation_error").And.Contain("--tasks-dir"));

        using var eval = new CliProcess("eval", "--run", "custom-1", "--db", Path.Combine(_dir, "runs", "mlrb.db"), "--data", SampleData, "--tasks-dir", tasks);
        Assert.That(await eval.WaitAsync(TimeSpan.FromMinutes(2)), Is.Zero, eval.Stderr);
        Assert.That(eval.Stdout, Does.Contain("scored"));
    }

    private async Task AssertStoreIntactAsync(string runId)
    {
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(_dir, "runs", "mlrb.db"));
        var run = (await store.GetRunAsync(runId))!;
        Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
        var tools = (await store.GetStepsAsync(runId)).Where(s => s.Kind == "tool").Select(s => s.Tool);
        Assert.That(tools, Is.EqualTo(new[] { "run_bash", "return_fn" }));
        Assert.That(await store.GetMessagesAsync(runId), Is.Not.Empty);
        Assert.That(AgentRunResult.FromJson(run.ResultJson!).Submission, Is.Not.Null);
    }

    /// <summary>Processes whose command line scores this model folder.</summary>
    private static List<int> ChildrenScoring(string model)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(" eval ", StringComparison.Ordinal) && cmdline.Contains(model, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }
}
