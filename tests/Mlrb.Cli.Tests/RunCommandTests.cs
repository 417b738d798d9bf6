using Mlrb.Agents;
using Mlrb.Cli.Tests.Run;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

public class RunCommandTests
{
    private const string MakeModel = """
        import os
        os.makedirs("model", exist_ok=True)
        with open(os.path.join("model", "weights.txt"), "w") as f:
            f.write("w=0.5\n")
        print("val_loss 1.23")
        """;

    [Test]
    public async Task EndToEnd_PlansWritesAndRunsPython_SubmitsTheModel_AndRecordsEverything()
    {
        await using var server = new ScriptedOpenAIServer(
        [
            ("write_code", new { path = "make_model.py", code = MakeModel }),
            ("run_python", new { filepath = "make_model.py" }),
            ("return_fn", new { submission = "{\"val_loss\": 1.23}", model_path = "model" }),
        ]);
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-e2e");
        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "openai", "--model", "scripted-local", "--endpoint", server.Endpoint,
            "--time-limit", "10m", "--workdir", workdir, "--run-id", "e2e-1", "--price", "scripted-local=2:10", "--no-eval");

        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(2));

        TestContext.Out.WriteLine(cli.Stderr);
        Assert.That(exit, Is.EqualTo(0), cli.Stderr);
        var workspace = Path.Combine(workdir, "e2e-1");
        Assert.That(File.ReadAllText(Path.Combine(workspace, "model", "weights.txt")), Is.EqualTo("w=0.5\n"), "the Python file really ran in the workspace");
        Assert.That(cli.Stdout, Does.Contain("| Task Name").And.Contain("mini_baby_lm").And.Contain("| Model Path").And.Contain("val_loss=1.23").And.Contain("| Total Tokens"));
        Assert.That(cli.Stderr, Does.Contain("[step").And.Contain("tool run_python").And.Contain("left | tokens"));

        var result = AgentRunResult.FromJson(File.ReadAllText(Path.Combine(workdir, "e2e-1-result.json")));
        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(result.ModelPath, Is.EqualTo(Path.Combine(workspace, "model")));
        Assert.That(result.Actions, Is.EqualTo(3));
        Assert.That(result.InputTokens, Is.EqualTo(100 * server.Bodies.Count));
        Assert.That(result.CostUsd, Is.EqualTo(((100m * 2) + (20m * 10)) * server.Bodies.Count / 1_000_000m), "cost from the --price table");

        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workdir, "mlrb.db"));
        var run = await store.GetRunAsync("e2e-1");
        Assert.That(run!.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(run.TaskName, Is.EqualTo("mini_baby_lm"));
        var steps = await store.GetStepsAsync("e2e-1");
        var tools = steps.Where(s => s.Kind == "tool").ToList();
        Assert.That(tools.Select(s => s.Tool), Is.EqualTo(new[] { "write_code", "run_python", "return_fn" }));
        Assert.That(tools.All(s => s.Status == StepStatus.Succeeded), Is.True);
        Assert.That(tools[1].OutputExcerpt, Does.Contain("val_loss 1.23"));
        Assert.That(steps.Select(s => s.Kind), Does.Contain("plan").And.Contain("submission"));
        var messages = await store.GetMessagesAsync("e2e-1");
        Assert.That(messages.Select(m => m.Role), Does.Contain("system").And.Contain("tool").And.Contain("assistant"));
    }

    [TestCase(false, TestName = "KilledRun_ResumesFromTheLastCompletedStep_WithoutRepeatingCompletedToolCalls")]
    [TestCase(true, TestName = "KilledRun_OnAPostgresStore_ResumesFromTheLastCompletedStep_WithoutRepeatingCompletedToolCalls")]
    public async Task KilledRun_ResumesFromTheLastCompletedStep_WithoutRepeatingCompletedToolCalls(bool postgres)
    {
        // On PostgreSQL (a throw-away database; skipped with the reason when no server can be started) as on SQLite.
        var database = postgres ? PostgresTestServer.Url(PostgresTestServer.CreateDatabase()) : null;
        // The training script blocks on its first run (so the test can kill mlrb mid-tool) and finishes on the second.
        const string train = """
            import os, time
            if not os.path.exists("started.txt"):
                open("started.txt", "w").write("1")
                time.sleep(300)
            os.makedirs("model", exist_ok=True)
            open(os.path.join("model", "weights.txt"), "w").write("w")
            print("val_loss 2.0")
            """;
        await using var server = new ScriptedOpenAIServer(
        [
            ("run_bash", new { script = "echo once >> counter.txt" }),
            ("write_code", new { path = "train.py", code = train }),
            ("run_python", new { filepath = "train.py" }),
            ("return_fn", new { submission = "{\"val_loss\": 2.0}", model_path = "model" }),
        ]);
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-resume");
        var workspace = Path.Combine(workdir, "kill-1");
        using (var first = new CliProcess("run", "mini_baby_lm", "--provider", "openai", "--endpoint", server.Endpoint, "--time-limit", "30m", "--workdir", workdir, "--run-id", "kill-1", "--no-eval", "--db", database ?? Path.Combine(workdir, "mlrb.db")))
        {
            var started = Path.Combine(workspace, "started.txt");
            for (var i = 0; i < 600 && !File.Exists(started) && !first.Process.HasExited; i++)
            {
                await Task.Delay(100);
            }

            Assert.That(File.Exists(started), Is.True, "the training script started\n" + first.Stderr);
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync();
        }

        await using (var store = await RunStoreFactory.OpenAsync(database ?? Path.Combine(workdir, "mlrb.db")))
        {
            var run = await store.GetRunAsync("kill-1");
            Assert.That(run!.Status, Is.EqualTo(RunStatus.Running), "a killed run records no end");
            var interrupted = (await store.GetStepsAsync("kill-1")).Single(s => s.Tool == "run_python");
            Assert.That(interrupted.Status, Is.EqualTo(StepStatus.Started));
        }

        using var resumed = new CliProcess("run", "--resume", "kill-1", "--provider", "openai", "--endpoint", server.Endpoint, "--workdir", workdir, "--no-eval", "--db", database ?? Path.Combine(workdir, "mlrb.db"));
        var exit = await resumed.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.That(exit, Is.EqualTo(0), resumed.Stderr);
        Assert.That(File.ReadAllLines(Path.Combine(workspace, "counter.txt")), Is.EqualTo(new[] { "once" }), "the completed run_bash call was not repeated");
        Assert.That(resumed.Stdout, Does.Contain("val_loss=2.0"));
        await using var after = await RunStoreFactory.OpenAsync(database ?? Path.Combine(workdir, "mlrb.db"));
        var steps = await after.GetStepsAsync("kill-1");
        Assert.That(steps.Count(s => s.Kind == "plan"), Is.EqualTo(1), "the plan was not made again");
        Assert.That(steps.Where(s => s.Kind == "tool").Select(s => (s.Tool, s.Status)), Is.EqualTo(new[]
        {
            ("run_bash", StepStatus.Succeeded),
            ("write_code", StepStatus.Succeeded),
            ("run_python", StepStatus.Started),
            ("run_python", StepStatus.Succeeded),
            ("return_fn", StepStatus.Succeeded),
        }));
        Assert.That((await after.GetRunAsync("kill-1"))!.Status, Is.EqualTo(RunStatus.Completed));
    }

    [Test]
    public async Task UnknownTask_FailsWithAOneLineError()
    {
        using var cli = new CliProcess("run", "no_such_task", "--provider", "openai", "--endpoint", "http://127.0.0.1:9/v1", "--workdir", TestPaths.CreateTempDirectory("mlrb-run-bad"));

        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(cli.Stderr, Does.Contain("unknown task 'no_such_task'").And.Contain("baby_lm"));
    }

    [Test]
    public async Task MissingApiKey_FailsWithTheVariablesToSet_AndCreatesNoRun()
    {
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-nokey");
        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "anthropic", "--workdir", workdir, "--run-id", "nokey");

        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(cli.Stderr, Does.Contain("ANTHROPIC_API_KEY"));
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workdir, "mlrb.db"));
        Assert.That(await store.GetRunAsync("nokey"), Is.Null);
    }

    [TestCase("--time-limit", "soon", "--time-limit: 'soon' is not a duration")]
    [TestCase("--price", "gpt=cheap", "--price: 'gpt=cheap' is not MODEL=INPUT:OUTPUT")]
    [TestCase("--endpoint", "not a url", "--endpoint: 'not a url' is not an absolute URL")]
    public async Task BadFlags_FailWithTheFlagNamed(string flag, string value, string expected)
    {
        using var cli = new CliProcess("run", "mini_baby_lm", flag, value, "--workdir", TestPaths.CreateTempDirectory("mlrb-run-bad"));

        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(cli.Stderr, Does.Contain(expected));
    }

    [Test]
    public async Task ProviderReturning500s_EndsAsProviderError_StoredWithTheRun()
    {
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 500, """{"error":{"message":"upstream exploded","type":"server_error"}}"""));
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-500");
        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "openai", "--endpoint", new Uri(server.BaseAddress, "v1").ToString(),
            "--time-limit", "10m", "--workdir", workdir, "--run-id", "p500");

        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.That(exit, Is.EqualTo(1), cli.Stderr);
        Assert.That(server.Requests.Count, Is.GreaterThan(1), "the call was retried before giving up");
        Assert.That(cli.Stdout, Does.Contain("provider_error"));
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workdir, "mlrb.db"));
        var run = (await store.GetRunAsync("p500"))!;
        Assert.That(run.Outcome, Is.EqualTo(Mlrb.Tasks.Runs.RunOutcome.ProviderError));
        Assert.That(run.OutcomeDetail, Does.Contain("500"));
        Assert.That(run.Score, Is.Null);
    }

    [Test]
    public async Task ReplayProvider_PlaysTheShippedScript_WithNoKey_AndExportsAReplayableTranscript()
    {
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-replay");
        var script = Path.Combine(TestPaths.RepositoryRoot, "samples", "replay", "tiny-baby-lm.jsonl");
        using var first = new CliProcess("run", "mini_baby_lm", "--provider", "replay", "--transcript", script, "--workdir", workdir, "--run-id", "rp1", "--label", "scripted", "--eval-data", Path.Combine(TestPaths.RepositoryRoot, "samples", "data"));

        Assert.That(await first.WaitAsync(TimeSpan.FromMinutes(2)), Is.EqualTo(0), first.Stderr);
        Assert.That(File.Exists(Path.Combine(workdir, "rp1", "model", "model.safetensors")), Is.True, "the scripted Python really ran");
        var transcript = Path.Combine(workdir, "rp1-transcript.jsonl");
        Assert.That(File.ReadAllText(transcript), Does.Contain("\"agent\":\"worker-1\"").And.Contain("run_python"));

        using var second = new CliProcess("run", "mini_baby_lm", "--provider", "replay", "--transcript", transcript, "--workdir", workdir, "--run-id", "rp2", "--eval-data", Path.Combine(TestPaths.RepositoryRoot, "samples", "data"));
        Assert.That(await second.WaitAsync(TimeSpan.FromMinutes(2)), Is.EqualTo(0), second.Stderr);

        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workdir, "mlrb.db"));
        var tools1 = (await store.GetStepsAsync("rp1")).Where(s => s.Kind == "tool").Select(s => s.Tool);
        var tools2 = (await store.GetStepsAsync("rp2")).Where(s => s.Kind == "tool").Select(s => s.Tool);
        Assert.That(tools2, Is.EqualTo(tools1).And.EqualTo(new[] { "write_code", "run_python", "return_fn" }));
        Assert.That((await store.GetRunAsync("rp1"))!.Label, Is.EqualTo("scripted"));
        Assert.That((await store.GetRunAsync("rp1"))!.Provider, Is.EqualTo("replay"));
        var (run1, run2) = ((await store.GetRunAsync("rp1"))!, (await store.GetRunAsync("rp2"))!);
        Assert.That(run1.Outcome, Is.EqualTo(Mlrb.Tasks.Runs.RunOutcome.Scored), run1.OutcomeDetail);
        Assert.That(run1.Score, Is.InRange(0.0, 1.0));
        Assert.That(run2.Score, Is.EqualTo(run1.Score), "the replayed run submits the same model and gets the same score");
    }

    [Test]
    public async Task ReplayProvider_WithoutTranscript_FailsWithAOneLineError()
    {
        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "replay", "--workdir", TestPaths.CreateTempDirectory("mlrb-run-bad"));

        Assert.That(await cli.WaitAsync(TimeSpan.FromMinutes(1)), Is.EqualTo(2));
        Assert.That(cli.Stderr, Does.Contain("--provider replay needs --transcript FILE"));
    }
}
