using System.CommandLine;
using System.Text.Json;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb bench</c> with the replay provider (no API key): real tools, sandbox and SQLite store.</summary>
[NonParallelizable]
public class BenchCommandTests
{
    private static readonly string Script = Path.Combine(TestPaths.RepositoryRoot, "samples", "replay", "tiny-baby-lm.jsonl");

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-cli-bench");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private async Task<IReadOnlyList<RunRecord>> StoredRunsAsync()
    {
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(_dir, "mlrb.db"));
        return await store.ListRunsAsync();
    }

    private static bool Overlap(RunRecord a, RunRecord b) => a.StartedAt < b.FinishedAt && b.StartedAt < a.FinishedAt;

    [Test]
    public async Task TwoTasksTwoRunsEach_InParallel_PassesRunOptionsOn_AndPrintsTheTableOfThoseRuns()
    {
        var (code, stdout, stderr) = CliInvoker.Run("bench", "mini_baby_lm", "mini_pile", "--runs", "2", "--parallel", "4",
            "--provider", "replay", "--transcript", Script, "--workdir", _dir, "--label", "scripted", "--time-limit", "10m", "--json");

        TestContext.Out.WriteLine(stderr);
        Assert.That(code, Is.Zero, stderr);
        var runs = await StoredRunsAsync();
        Assert.That(runs, Has.Count.EqualTo(4));
        Assert.That(runs.Count(r => r.TaskName == "mini_baby_lm"), Is.EqualTo(2));
        Assert.That(runs.Count(r => r.TaskName == "mini_pile"), Is.EqualTo(2));
        Assert.That(runs.Select(r => r.Label).Distinct(), Is.EqualTo(new[] { "scripted" }), "--label reached every run");
        Assert.That(runs.Select(r => r.TimeLimit).Distinct(), Is.EqualTo(new TimeSpan?[] { TimeSpan.FromMinutes(10) }), "--time-limit reached every run");
        Assert.That(runs.Select(r => r.Provider).Distinct(), Is.EqualTo(new[] { "replay" }));
        Assert.That(runs.All(r => r.FinishedAt is not null), Is.True);
        Assert.That(runs.SelectMany(a => runs.Where(b => a.RunId != b.RunId && Overlap(a, b))), Is.Not.Empty, "--parallel 4 ran runs at once");
        Assert.That(stderr, Does.Contain("[mini_pile 2/2] ").And.Contain("[mini_baby_lm 1/2] "));

        using var json = JsonDocument.Parse(stdout);
        var summaries = json.RootElement.GetProperty("summaries").EnumerateArray().ToList();
        Assert.That(summaries.Select(s => s.GetProperty("task").GetString()), Is.EqualTo(new[] { "mini_baby_lm", "mini_pile" }));
        foreach (var summary in summaries)
        {
            Assert.That(summary.GetProperty("agent").GetString(), Is.EqualTo("scripted"));
            Assert.That(summary.GetProperty("runs").GetInt32(), Is.EqualTo(2));
            Assert.That(summary.GetProperty("finished").GetInt32() + summary.GetProperty("pending").GetInt32(), Is.EqualTo(2));
        }

        Assert.That(json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()), Is.EquivalentTo(runs.Select(r => r.RunId)));
    }

    [Test]
    public async Task Sequential_ByDefault_AndOnlyThisBenchsRunsAreCounted()
    {
        var (first, _, firstErr) = CliInvoker.Run("bench", "mini_baby_lm", "--runs", "1", "--provider", "replay", "--transcript", Script, "--workdir", _dir);
        Assert.That(first, Is.Zero, firstErr);

        var (code, stdout, stderr) = CliInvoker.Run("bench", "mini_baby_lm", "--runs", "2", "--provider", "replay", "--transcript", Script, "--workdir", _dir);
        Assert.That(code, Is.Zero, stderr);
        var runs = await StoredRunsAsync();
        Assert.That(runs, Has.Count.EqualTo(3));
        var second = runs.Where(r => r.RunId.EndsWith("-mini_baby_lm-1", StringComparison.Ordinal) || r.RunId.EndsWith("-mini_baby_lm-2", StringComparison.Ordinal))
            .OrderBy(r => r.StartedAt).TakeLast(2).ToList();
        Assert.That(Overlap(second[0], second[1]), Is.False, "without --parallel the runs go one after another");

        var row = stdout.Split('\n').First(l => l.StartsWith("| mini_baby_lm", StringComparison.Ordinal));
        Assert.That(row.Trim('|').Split('|').Select(c => c.Trim()).Take(3), Is.EqualTo(new[] { "mini_baby_lm", "replay/replay", "2" }), "the table counts this bench's 2 runs, not the earlier one");
    }

    [Test]
    public void UnknownTask_StartsNothing()
    {
        var (code, _, stderr) = CliInvoker.Run("bench", "mini_baby_lm", "no_such_task", "--runs", "1", "--provider", "replay", "--transcript", Script, "--workdir", _dir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("unknown task(s) no_such_task"));
        Assert.That(File.Exists(Path.Combine(_dir, "mlrb.db")), Is.False);
    }

    [TestCase("--runs", "0")]
    [TestCase("--parallel", "0")]
    [TestCase("--provider", "bogus")]
    [TestCase("--run-id", "x")]
    public void BadOptions_AreRefusedBeforeAnyRun(string flag, string value)
    {
        var args = new List<string> { "bench", "mini_baby_lm", "--provider", "replay", "--transcript", Script, "--workdir", _dir };
        if (flag != "--runs")
        {
            args.AddRange(["--runs", "1"]);
        }

        args.AddRange([flag, value]);
        var (code, _, stderr) = CliInvoker.Run([.. args]);
        Assert.That(code, Is.Not.Zero);
        Assert.That(stderr, Is.Not.Empty);
        Assert.That(File.Exists(Path.Combine(_dir, "mlrb.db")), Is.False);
    }
}
