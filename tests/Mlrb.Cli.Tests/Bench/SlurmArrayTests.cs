using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Bench;

/// <summary>
/// A real single-node Slurm cluster (deploy/slurm/local-cluster.sh: Debian's slurm-wlm and munge) runs an emitted job
/// array of two replayed runs of mini_baby_lm against a real PostgreSQL store, each scoring its tiny submission on
/// samples/data (inside the run, or with <c>--shards 2</c> as an evaluation array and merges); <c>mlrb results</c> then
/// shows both, scored.
/// Needs root, Slurm and PostgreSQL; skips with the reason otherwise.
/// </summary>
[NonParallelizable]
public class SlurmArrayTests
{
    [Test]
    [CancelAfter(600_000)]
    public async Task EmittedArray_RunsOnSlurm_ScoresEachSubmission_AndResultsShowEveryRun(CancellationToken cancellationToken)
    {
        await WithClusterAsync(
            async (dir, environment) =>
            {
                Emit(dir, []);
                var (submitted, submitOutput) = await ExecAsync("sbatch", ["--wait", Path.Combine(dir, "jobs", "mlrb-bench.sbatch")], environment, cancellationToken);
                Assert.That(submitted, Is.Zero, submitOutput + "\n" + Logs(dir));
                await AssertBothRunsScoredAsync(environment["MLRB_DB"], Logs(dir), cancellationToken);
            },
            cancellationToken);
    }

    [Test]
    [CancelAfter(600_000)]
    public async Task EmittedShardedArray_RunsOnSlurm_EvaluationShardsThenMerges_AndResultsShowEveryScore(CancellationToken cancellationToken)
    {
        await WithClusterAsync(
            async (dir, environment) =>
            {
                Emit(dir, ["--shards", "2"]);
                var (submitted, submitOutput) = await ExecAsync("bash", [Path.Combine(dir, "jobs", "mlrb-bench-submit.sh"), "--wait"], environment, cancellationToken);
                Assert.That(submitted, Is.Zero, submitOutput + "\n" + Logs(dir));
                Assert.That(submitOutput, Does.Contain("evaluation shards: job").And.Contain("merges: job"));
                var logs = Logs(dir);
                await AssertBothRunsScoredAsync(environment["MLRB_DB"], logs, cancellationToken);

                // Each run was scored from its two shards, not inside the run.
                var runsRoot = Path.Combine(dir, "runs");
                var shardFolders = Directory.GetDirectories(runsRoot, "*-eval-shards");
                Assert.That(shardFolders, Has.Length.EqualTo(2), logs);
                foreach (var folder in shardFolders)
                {
                    Assert.That(Directory.GetFiles(folder, "*.shard-*-of-2.json"), Has.Length.EqualTo(2), folder);
                }

                Assert.That(logs, Does.Contain("Shard 0/2").Or.Contain("\"shard\": \"0/2\""));
            },
            cancellationToken);
    }

    /// <summary>Starts the local cluster and a throw-away PostgreSQL database, runs <paramref name="body"/>, stops the cluster.</summary>
    private static async Task WithClusterAsync(Func<string, Dictionary<string, string>, Task> body, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Ignore("a local Slurm cluster needs Linux and root");
        }

        if (!File.Exists("/usr/sbin/slurmctld") || !File.Exists("/usr/sbin/munged"))
        {
            Assert.Ignore("Slurm is not installed (apt-get install slurm-wlm munge; .ci/run does)");
        }

        PostgresTestServer.RequireServer();
        var dir = TestPaths.CreateTempDirectory("mlrb-slurm");
        var state = Path.Combine(dir, "slurm");
        var script = Path.Combine(TestPaths.RepositoryRoot, "deploy", "slurm", "local-cluster.sh");
        try
        {
            var (started, startOutput) = await ExecAsync("bash", [script, "start", state], null, cancellationToken);
            if (started != 0)
            {
                Assert.Ignore("a local Slurm cluster could not be started here: " + startOutput.Trim());
            }

            var url = PostgresTestServer.Url(PostgresTestServer.CreateDatabase());
            await body(dir, new Dictionary<string, string> { ["MLRB_DB"] = url, ["SLURM_CONF"] = Path.Combine(state, "slurm.conf") });
        }
        finally
        {
            await ExecAsync("bash", [script, "stop", state], null, CancellationToken.None);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A daemon still closing its state files; the folder is under /tmp.
            }
        }
    }

    /// <summary>Emits a bench of two replayed mini_baby_lm runs, each scored on samples/data.</summary>
    private static void Emit(string dir, string[] extra)
    {
        var mlrb = $"{TestPaths.DotnetHost()} {Path.Combine(AppContext.BaseDirectory, "mlrb.dll")}";
        var transcript = Path.Combine(TestPaths.RepositoryRoot, "samples", "replay", "tiny-baby-lm.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args =
        [
            "bench", "mini_baby_lm", "--runs", "2", "--parallel", "2", "--provider", "replay", "--transcript", transcript,
            "--eval-data", Path.Combine(TestPaths.RepositoryRoot, "samples", "data"),
            "--time-limit", "20m", "--eval-allowance", "10m", "--workdir", Path.Combine(dir, "runs"),
            "--emit", "slurm", Path.Combine(dir, "jobs"), "--job-gpus", "0", "--job-cpus", "1", "--job-memory", "3",
            "--mlrb-command", mlrb, "--job-name", "slurm-test", .. extra,
        ];
        var code = CliApplication.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.That(code, Is.Zero, error.ToString());
    }

    private static string Logs(string dir) =>
        string.Join("\n", Directory.GetFiles(Path.Combine(dir, "jobs", "logs")).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f) + ":\n" + File.ReadAllText(f)));

    /// <summary><c>mlrb results</c> on the store shows both runs, each scored (a real score of the submitted model on samples/data).</summary>
    private static async Task AssertBothRunsScoredAsync(string url, string logs, CancellationToken cancellationToken)
    {
        using var results = new StringWriter();
        using var resultsError = new StringWriter();
        var resultsCode = await CliApplication.BuildRoot().Parse(["results", "--db", url, "--runs", "--json"])
            .InvokeAsync(new InvocationConfiguration { Output = results, Error = resultsError }, cancellationToken);
        Assert.That(resultsCode, Is.Zero, resultsError.ToString());
        using var json = JsonDocument.Parse(results.ToString());
        var summary = json.RootElement.GetProperty("summaries").EnumerateArray().Single();
        Assert.That(summary.GetProperty("task").GetString(), Is.EqualTo("mini_baby_lm"));
        Assert.That(summary.GetProperty("runs").GetInt32(), Is.EqualTo(2), logs);
        Assert.That(results.ToString(), Does.Contain("slurm-test-").And.Contain("-mini_baby_lm-1").And.Contain("-mini_baby_lm-2"));

        await using var store = await RunStoreFactory.OpenAsync(url, cancellationToken);
        var runs = await store.ListRunsAsync(cancellationToken);
        Assert.That(runs, Has.Count.EqualTo(2));
        foreach (var run in runs)
        {
            Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Scored), $"{run.RunId}: {run.OutcomeDetail}\n{logs}");
            Assert.That(run.Score, Is.InRange(0.0, 1.0));
            var evaluation = (await store.GetEvaluationsAsync(run.RunId, cancellationToken))[^1];
            Assert.That((evaluation.Outcome, evaluation.Score), Is.EqualTo((RunOutcome.Scored, run.Score)), "the score row");
        }

        Assert.That(runs[1].Score, Is.EqualTo(runs[0].Score), "both replayed runs submit the same model");
    }

    private static async Task<(int Code, string Output)> ExecAsync(string program, string[] arguments, Dictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
