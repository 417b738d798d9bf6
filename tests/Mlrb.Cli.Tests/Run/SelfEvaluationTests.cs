using System.Globalization;
using System.Text.Json.Nodes;
using Mlrb.Cli.Commands.Scoring;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Evaluation;
using Mlrb.Tasks;
using Mlrb.Tasks.Provenance;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Run;

/// <summary>
/// The agent's <c>evaluate</c> tool in real runs: replay scripts call it against the real tools and the real scoring child
/// (<c>mlrb eval --split validation</c>); and the run's evaluation records the machine it ran on.
/// </summary>
public class SelfEvaluationTests
{
    private static readonly string TinyGpt2 = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");
    private static readonly string SampleData = Path.Combine(TestPaths.RepositoryRoot, "samples", "data");
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-selfeval");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static JsonObject Call(string tool, object arguments) => new()
    {
        ["text"] = "working",
        ["tool"] = tool,
        ["arguments"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(arguments)),
    };

    private static JsonObject CopyTinyGpt2() => Call("run_bash", new { script = $"cp -r '{TinyGpt2}' model && ls model" });

    private static JsonObject Submit() => Call("return_fn", new { submission = "{\"note\": \"done\"}", model_path = "model" });

    private async Task<(int Exit, RunRecord Run, List<StepRecord> Evaluates, IReadOnlyList<EvaluationRecord> Evaluations, string Messages)> RunAsync(string task, string runId, JsonObject[] turns, params string[] extra)
    {
        var script = Path.Combine(_dir, runId + ".jsonl");
        File.WriteAllLines(script, turns.Select(t => t.ToJsonString()));
        var workdir = Path.Combine(_dir, "runs");
        using var cli = new CliProcess(["run", task, "--provider", "replay", "--transcript", script, "--workdir", workdir, "--run-id", runId, .. extra]);
        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(6));
        TestContext.Out.WriteLine(cli.Stderr);
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workdir, "mlrb.db"));
        var run = (await store.GetRunAsync(runId))!;
        var steps = (await store.GetStepsAsync(runId)).Where(s => s.Kind == "tool" && s.Tool == "evaluate").ToList();
        var messages = string.Join("\n", (await store.GetMessagesAsync(runId)).Select(m => m.ContentJson));
        return (exit, run, steps, await store.GetEvaluationsAsync(runId), messages);
    }

    private static string Text(StepRecord step) => (step.OutputExcerpt ?? "") + (step.ErrorExcerpt ?? "");

    [Test]
    public async Task Evaluate_ScoresTheAgentsModel_OnTheValidationSplit_AsTheLibraryDoes_AndTheEvaluationRecordsItsMachine()
    {
        var (exit, run, evaluates, evaluations, messages) = await RunAsync(
            "mini_baby_lm",
            "self-1",
            [CopyTinyGpt2(), Call("evaluate", new { model_path = "model" }), Call("evaluate", new { model_path = "../" }), Submit()],
            "--eval-data",
            SampleData);

        Assert.That(exit, Is.Zero);
        Assert.That(evaluates, Has.Count.EqualTo(2));
        var expected = await TaskEvaluator.EvaluateAsync(
            TaskCatalog.Builtin.GetTask("mini_baby_lm"),
            new TaskEvaluationOptions { ModelDirectory = TinyGpt2, DataDirectory = SampleData, Split = EvaluationSplit.Validation, Limit = 20 });
        var first = Text(evaluates[0]);
        Assert.That(evaluates[0].Status, Is.EqualTo(StepStatus.Succeeded), first);
        Assert.That(first, Does.Contain("Self-check of 'model' for mini_baby_lm: validation split, at most 20 documents per subtask."));
        Assert.That(first, Does.Contain($"score (blimp): {expected.Score!.Value.ToString("0.0000", CultureInfo.InvariantCulture)}"));
        Assert.That(first, Does.Contain("blimp_passive_1 (6 documents)"));
        Assert.That(first, Does.Contain("BLiMP has a single split"));
        Assert.That(evaluates[1].Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(Text(evaluates[1]), Does.Contain("outside the workspace"));

        Assert.That(messages, Does.Contain("Self-check: the evaluate tool").And.Contain("example_output.json"), "the task prompt names the tool and the example output");
        Assert.That(File.Exists(Path.Combine(run.WorkspacePath, "example_output.json")), Is.True);

        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Scored), run.OutcomeDetail);
        var evaluation = evaluations.Single();
        Assert.That(evaluation.EnvironmentJson, Is.Not.Null, "the evaluation records the machine it ran on");
        var environment = RunEnvironment.FromJson(evaluation.EnvironmentJson!);
        Assert.That(environment.CpuCores, Is.EqualTo(Environment.ProcessorCount));
        Assert.That(environment.Sandbox, Is.EqualTo(SubmissionScoring.EvaluationSandbox));
        Assert.That(environment.Os, Is.Not.Empty);
        Assert.That(environment.CapturedAt, Is.InRange(evaluation.StartedAt.AddMinutes(-1), evaluation.FinishedAt.AddMinutes(1)));
    }

    [Test]
    public async Task WithoutEvaluationData_TheAgentIsToldSo_AndTheRunGoesOn()
    {
        var (exit, run, evaluates, evaluations, _) = await RunAsync(
            "mini_baby_lm",
            "self-nodata",
            [CopyTinyGpt2(), Call("evaluate", new { model_path = "model" }), Call("evaluate", new { model_path = "no_model" }), Submit()],
            "--eval-data",
            Path.Combine(_dir, "no-such-data"),
            "--no-eval");

        Assert.That(exit, Is.Zero);
        Assert.That(evaluates.Select(s => s.Status), Is.EqualTo(new[] { StepStatus.Failed, StepStatus.Failed }));
        Assert.That(Text(evaluates[0]), Does.Contain("no evaluation data is available in this run"));
        Assert.That(Text(evaluates[1]), Does.Contain("there is no model folder 'no_model'"));
        Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(run.Outcome, Is.Not.EqualTo(RunOutcome.SandboxError), "a failed self-check is not a sandbox failure");
        Assert.That(evaluations, Is.Empty, "a self-check is not an evaluation of the run");
    }

    [Test]
    public async Task Evaluate_OnMmlu_ReadsTheValSplit_AndNeverOpensTheTestFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("needs a named pipe (mkfifo)");
        }

        // mini_math_reasoning is scored on MMLU math subjects (+ MathQA, absent here and skipped). The test file is a FIFO
        // nobody writes: opening it would block the scorer until the tool's time limit.
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(Path.Combine(data, "mmlu", "val"));
        Directory.CreateDirectory(Path.Combine(data, "mmlu", "test"));
        File.WriteAllLines(Path.Combine(data, "mmlu", "val", "abstract_algebra_val.csv"), ["What is 1+1?,1,2,3,4,B", "What is 2+2?,4,5,6,7,A", "What is 0+0?,3,2,1,0,D"]);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(data, "mmlu", "test", "abstract_algebra_test.csv")))
        {
            await mkfifo.WaitForExitAsync();
        }

        var (exit, _, evaluates, _, _) = await RunAsync(
            "mini_math_reasoning",
            "self-mmlu",
            [CopyTinyGpt2(), Call("evaluate", new { model_path = "model", limit = 2 }), Submit()],
            "--eval-data",
            data,
            "--no-eval",
            "--time-limit",
            "4m");

        Assert.That(exit, Is.Zero);
        var text = Text(evaluates.Single());
        Assert.That(evaluates.Single().Status, Is.EqualTo(StepStatus.Succeeded), text);
        Assert.That(text, Does.Contain("mmlu_abstract_algebra (2 documents)"));
        Assert.That(text, Does.Contain("MMLU: the val split (the final score uses test)."));
    }
}
