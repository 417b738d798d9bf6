using Mlrb.Cli.Tests.Run;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Bench;

/// <summary>
/// What the evaluation and merge arrays of <c>--shards N</c> run: <c>mlrb eval --run ID --shard I/N</c> scores one
/// shard of a stored run's submission, <c>mlrb eval merge --run ID</c> merges them and stores the score with the run —
/// the same score, exactly, as scoring the submission unsharded. Real processes, a real replayed run, a real SQLite store.
/// </summary>
[NonParallelizable]
public class ShardedRunScoringTests
{
    private static readonly string Data = Path.Combine(TestPaths.RepositoryRoot, "samples", "data");

    [Test]
    [CancelAfter(600_000)]
    public async Task ShardsOfAStoredRun_MergeIntoTheUnshardedScore_AndAMissingShardIsStoredAsAnEvaluationError(CancellationToken cancellationToken)
    {
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-shards");
        var db = Path.Combine(workdir, "mlrb.db");
        var transcript = Path.Combine(TestPaths.RepositoryRoot, "samples", "replay", "tiny-baby-lm.jsonl");
        await RunAsync(0, "run", "mini_baby_lm", "--provider", "replay", "--transcript", transcript, "--workdir", workdir, "--run-id", "sh1", "--no-eval");
        await using (var store = await RunStoreFactory.OpenSqliteAsync(db, cancellationToken))
        {
            Assert.That((await store.GetRunAsync("sh1", cancellationToken))!.Score, Is.Null, "--no-eval: not scored yet");
        }

        // The reference: the submission scored unsharded (the child process mlrb run uses).
        await RunAsync(0, "eval", "--run", "sh1", "--db", db, "--data", Data);
        double unsharded;
        await using (var store = await RunStoreFactory.OpenSqliteAsync(db, cancellationToken))
        {
            var run = (await store.GetRunAsync("sh1", cancellationToken))!;
            Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Scored), run.OutcomeDetail);
            unsharded = run.Score!.Value;
        }

        // Two of three shards, then the merge: the run is stored as not scored, naming the missing shard.
        await RunAsync(0, "eval", "--run", "sh1", "--shard", "0/3", "--db", db, "--data", Data);
        await RunAsync(0, "eval", "--run", "sh1", "--shard", "1/3", "--db", db, "--data", Data);
        Assert.That(Directory.GetFiles(Path.Combine(workdir, "sh1-eval-shards"), "*.shard-*-of-3.json"), Has.Length.EqualTo(2));
        var incomplete = await RunAsync(0, "eval", "merge", "--run", "sh1", "--db", db);
        Assert.That(incomplete, Does.Contain("evaluation_error").And.Contain("missing shard(s) 2/3"));
        await using (var store = await RunStoreFactory.OpenSqliteAsync(db, cancellationToken))
        {
            var run = (await store.GetRunAsync("sh1", cancellationToken))!;
            Assert.That((run.Outcome, run.Score), Is.EqualTo(((RunOutcome?)RunOutcome.EvaluationError, (double?)null)));
            Assert.That(run.OutcomeDetail, Does.Contain("missing shard(s) 2/3"));
        }

        // The last shard (by MLRB_DB this time), then the merge: exactly the unsharded score, stored with the run.
        await RunAsync(0, "eval", "--run", "sh1", "--shard", "2/3", "--data", Data, "--env", db);
        var merged = await RunAsync(0, "eval", "merge", "--run", "sh1", "--db", db);
        Assert.That(merged, Does.Contain("run sh1: scored"));
        await using (var store = await RunStoreFactory.OpenSqliteAsync(db, cancellationToken))
        {
            var run = (await store.GetRunAsync("sh1", cancellationToken))!;
            Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Scored), run.OutcomeDetail);
            Assert.That(run.Score, Is.EqualTo(unsharded), "sharded + merged equals unsharded, bit for bit");
            var evaluations = await store.GetEvaluationsAsync("sh1", cancellationToken);
            Assert.That(evaluations.Select(e => e.Outcome), Is.EqualTo(new[] { RunOutcome.Scored, RunOutcome.EvaluationError, RunOutcome.Scored }));
            Assert.That(evaluations[^1].Score, Is.EqualTo(evaluations[0].Score));
            Assert.That(evaluations[^1].ModelSha256, Is.EqualTo(evaluations[0].ModelSha256).And.Not.Null);
        }
    }

    [Test]
    public async Task ShardOfAnUnknownRun_IsAOneLineError()
    {
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-shards-bad");
        var db = Path.Combine(workdir, "mlrb.db");
        await using (var created = await RunStoreFactory.OpenSqliteAsync(db))
        {
            Assert.That(await created.ListRunsAsync(), Is.Empty);
        }

        var error = await RunAsync(1, "eval", "--run", "nope", "--shard", "0/2", "--db", db, "--data", Data);
        Assert.That(error.Trim(), Does.StartWith("mlrb eval: there is no run 'nope'").And.Not.Contain("\n"));
        error = await RunAsync(1, "eval", "merge", "--run", "nope", "--db", Path.Combine(workdir, "missing.db"));
        Assert.That(error.Trim(), Does.StartWith("mlrb eval merge: --db: run store not found"));
    }

    /// <summary>Runs mlrb as a child process, asserts its exit code, returns stdout + stderr. <c>--env DB</c> passes the store as MLRB_DB instead.</summary>
    private static async Task<string> RunAsync(int expected, params string[] args)
    {
        var env = Array.IndexOf(args, "--env");
        string? mlrbDb = null;
        if (env >= 0)
        {
            mlrbDb = args[env + 1];
            args = [.. args.Take(env), .. args.Skip(env + 2)];
        }

        Environment.SetEnvironmentVariable("MLRB_DB", mlrbDb);
        try
        {
            using var cli = new CliProcess(args);
            var code = await cli.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.That(code, Is.EqualTo(expected), string.Join(' ', args) + "\n" + cli.Stdout + cli.Stderr);
            return cli.Stdout + cli.Stderr;
        }
        finally
        {
            Environment.SetEnvironmentVariable("MLRB_DB", null);
        }
    }
}
