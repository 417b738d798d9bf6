using System.Globalization;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Tasks.Tests.Storage.Conformance;

/// <summary>
/// The <see cref="IRunStore"/> contract, run against every store (SQLite and PostgreSQL): what one store does, the
/// other does. Times are whole microseconds, PostgreSQL's precision.
/// </summary>
public abstract class RunStoreConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 16, 0, 0, TimeSpan.FromHours(2));

    /// <summary>A store location (file path or connection string) for a new, empty store.</summary>
    protected abstract string NewLocation();

    /// <summary>Opens the store at <paramref name="location"/>.</summary>
    protected virtual Task<IRunStore> OpenAsync(string location) => RunStoreFactory.OpenAsync(location);

    private static RunRecord Run(string id, DateTimeOffset? started = null) => new()
    {
        RunId = id,
        TaskName = "baby_lm",
        WorkspacePath = "/tmp/runs/" + id,
        Provider = "openai",
        Model = "gpt-4o",
        StartedAt = started ?? T0,
        TimeLimit = TimeSpan.FromHours(24),
    };

    private static StepRecord Step(string runId, int i) => new()
    {
        RunId = runId,
        Agent = "worker-1",
        Kind = "tool",
        Tool = "run_python",
        CallId = "call-" + i.ToString(CultureInfo.InvariantCulture),
        ArgumentsJson = "{\"filepath\":\"train.py\"}",
        InputTokens = 100 + i,
        OutputTokens = 20,
        StartedAt = T0.AddMinutes(i),
    };

    [Test]
    public async Task Run_RoundTrips_EveryColumn_AndUpdates()
    {
        await using var store = await OpenAsync(NewLocation());
        var run = Run("r1") with { Label = "mine", EnvironmentJson = "{\"cpu\":\"x\"}" };
        await store.CreateRunAsync(run);
        Assert.That(await store.GetRunAsync("r1"), Is.EqualTo(run));

        var finished = run with
        {
            Status = RunStatus.Completed,
            FinishedAt = T0.AddHours(3).AddMicroseconds(7),
            StopReason = "return_fn called",
            InputTokens = 123_456_789_012,
            OutputTokens = 42,
            CostUsd = 12.3456789m,
            ResultJson = "{\"model_path\":\"model\",\"note\":\"it's done ü\"}",
            MetadataJson = "{\"plan\":[\"a\",\"b\"]}",
            Outcome = RunOutcome.Scored,
            Score = 0.5421,
            OutcomeDetail = "blimp",
        };
        await store.UpdateRunAsync(finished);

        Assert.That(await store.GetRunAsync("r1"), Is.EqualTo(finished));
        Assert.That(await store.GetRunAsync("missing"), Is.Null);
    }

    [Test]
    public async Task NonFiniteScore_IsStoredAsNoScore()
    {
        await using var store = await OpenAsync(NewLocation());
        await store.CreateRunAsync(Run("r1") with { Score = double.NaN });

        Assert.That((await store.GetRunAsync("r1"))!.Score, Is.Null);
    }

    [Test]
    public async Task CreateRun_Twice_FailsWithTheRunId_AndUpdateOfAnUnknownRunFails()
    {
        await using var store = await OpenAsync(NewLocation());
        await store.CreateRunAsync(Run("r1"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateRunAsync(Run("r1")));
        Assert.That(ex!.Message, Does.Contain("'r1' already exists"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateRunAsync(Run("nope")));
    }

    [Test]
    public async Task ListRuns_NewestFirst()
    {
        await using var store = await OpenAsync(NewLocation());
        await store.CreateRunAsync(Run("old", T0));
        await store.CreateRunAsync(Run("new", T0.AddDays(1)));
        await store.CreateRunAsync(Run("mid", T0.AddHours(5)));

        Assert.That((await store.ListRunsAsync()).Select(r => r.RunId), Is.EqualTo(new[] { "new", "mid", "old" }));
    }

    [Test]
    public async Task Steps_RoundTrip_InOrder_AndCompletionAddsTokens()
    {
        await using var store = await OpenAsync(NewLocation());
        await store.CreateRunAsync(Run("r1"));
        await store.CreateRunAsync(Run("r2"));
        var first = await store.AddStepAsync(Step("r1", 0) with { Id = 999 });
        await store.AddStepAsync(Step("r2", 1));
        var third = await store.AddStepAsync(Step("r1", 2));

        await store.CompleteStepAsync(first, new StepCompletion(StepStatus.Failed, "out ü", "Traceback ...", T0.AddMinutes(9), InputTokens: 7, OutputTokens: 3));
        var steps = await store.GetStepsAsync("r1");

        Assert.That(steps.Select(s => s.Id), Is.EqualTo(new[] { first, third }));
        Assert.That(third, Is.GreaterThan(first));
        Assert.That(first, Is.Not.EqualTo(999), "the given id is ignored");
        Assert.That(steps[0], Is.EqualTo(Step("r1", 0) with
        {
            Id = first,
            Status = StepStatus.Failed,
            OutputExcerpt = "out ü",
            ErrorExcerpt = "Traceback ...",
            CompletedAt = T0.AddMinutes(9),
            InputTokens = 107,
            OutputTokens = 23,
        }));
        Assert.That(steps[1], Is.EqualTo(Step("r1", 2) with { Id = third }));
    }

    [Test]
    public async Task Writes_ForUnknownRunsOrSteps_FailNamingThem()
    {
        await using var store = await OpenAsync(NewLocation());

        var step = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddStepAsync(Step("ghost", 0)));
        Assert.That(step!.Message, Does.Contain("'ghost'"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CompleteStepAsync(12345, new StepCompletion(StepStatus.Succeeded, null, null, T0)));
        var message = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddMessageAsync(new MessageRecord
        {
            RunId = "ghost", Agent = "a", Role = "user", ContentJson = "\"x\"", CreatedAt = T0,
        }));
        Assert.That(message!.Message, Does.Contain("'ghost'"));
    }

    [Test]
    public async Task Messages_AndEvaluations_RoundTrip_PerRun_InOrder()
    {
        await using var store = await OpenAsync(NewLocation());
        await store.CreateRunAsync(Run("r1"));
        await store.CreateRunAsync(Run("r2"));
        var message = new MessageRecord
        {
            RunId = "r1", Agent = "supervisor", Role = "assistant", ContentJson = "[{\"type\":\"text\",\"text\":\"plan\"}]",
            InputTokens = 1000, OutputTokens = 200, CreatedAt = T0,
        };
        var m1 = await store.AddMessageAsync(message);
        var m2 = await store.AddMessageAsync(message with { Role = "user", ContentJson = "\"hi\"" });
        var evaluation = new EvaluationRecord
        {
            RunId = "r1", StartedAt = T0, FinishedAt = T0.AddMinutes(3), Outcome = RunOutcome.Scored, Score = 0.75, ScoreName = "blimp",
            ModelPath = "/w/r1/model", ModelSha256 = "ab12", DataDirectory = "data", ReportJson = "{\"task\":\"baby_lm\"}", EnvironmentJson = "{}",
        };
        var e1 = await store.AddEvaluationAsync(evaluation);
        var e2 = await store.AddEvaluationAsync(evaluation with { Outcome = RunOutcome.EvaluationError, Score = null, Detail = "crashed" });
        await store.AddEvaluationAsync(evaluation with { RunId = "r2" });

        Assert.That(await store.GetMessagesAsync("r1"), Is.EqualTo(new[] { message with { Id = m1 }, message with { Id = m2, Role = "user", ContentJson = "\"hi\"" } }));
        Assert.That(await store.GetMessagesAsync("r2"), Is.Empty);
        Assert.That(
            await store.GetEvaluationsAsync("r1"),
            Is.EqualTo(new[] { evaluation with { Id = e1 }, evaluation with { Id = e2, Outcome = RunOutcome.EvaluationError, Score = null, Detail = "crashed" } }));
        Assert.That(await store.GetEvaluationsAsync("r2"), Has.Count.EqualTo(1));
        Assert.That(await store.GetEvaluationsAsync("none"), Is.Empty);
        var ghost = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddEvaluationAsync(evaluation with { RunId = "ghost" }));
        Assert.That(ghost!.Message, Does.Contain("ghost"));
    }

    [Test]
    public async Task Reopen_KeepsEverything()
    {
        var location = NewLocation();
        await using (var store = await OpenAsync(location))
        {
            await store.CreateRunAsync(Run("r1"));
            await store.AddStepAsync(Step("r1", 0));
        }

        await using (var store = await OpenAsync(location))
        {
            Assert.That(await store.GetRunAsync("r1"), Is.Not.Null);
            Assert.That(await store.GetStepsAsync("r1"), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task ConcurrentStores_AndConcurrentCallsOnOneStore_AllCommit()
    {
        var location = NewLocation();
        await using (var setup = await OpenAsync(location))
        {
            await setup.CreateRunAsync(Run("r1"));
        }

        const int writers = 4;
        const int stepsEach = 40;
        var stores = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => OpenAsync(location)));
        try
        {
            await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
            {
                for (var i = 0; i < stepsEach; i++)
                {
                    var id = await store.AddStepAsync(Step("r1", i) with { Agent = "worker-" + w });
                    await store.CompleteStepAsync(id, new StepCompletion(StepStatus.Succeeded, $"{w}/{i}", null, T0, 1, 1));
                }
            })));
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stores[0].AddMessageAsync(new MessageRecord
            {
                RunId = "r1", Agent = "worker-0", Role = "user", ContentJson = i.ToString(CultureInfo.InvariantCulture), CreatedAt = T0,
            })));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        await using var check = await OpenAsync(location);
        var steps = await check.GetStepsAsync("r1");
        Assert.That(steps, Has.Count.EqualTo(writers * stepsEach));
        Assert.That(steps.Select(s => s.OutputExcerpt).Distinct().Count(), Is.EqualTo(writers * stepsEach));
        Assert.That(steps, Has.All.Property(nameof(StepRecord.Status)).EqualTo(StepStatus.Succeeded));
        foreach (var step in steps)
        {
            var i = int.Parse(step.OutputExcerpt!.Split('/')[1], CultureInfo.InvariantCulture);
            Assert.That(step.InputTokens, Is.EqualTo(100 + i + 1), "each completion added its tokens exactly once");
        }

        Assert.That(await check.GetMessagesAsync("r1"), Has.Count.EqualTo(20));
    }

    [Test]
    public async Task Disposed_Store_RefusesCalls()
    {
        var store = await OpenAsync(NewLocation());
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetRunAsync("r1"));
    }
}
