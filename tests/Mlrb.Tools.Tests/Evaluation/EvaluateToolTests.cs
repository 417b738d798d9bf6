using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Tools.Evaluation;

namespace Mlrb.Tools.Tests.Evaluation;

/// <summary>
/// The <c>evaluate</c> tool's own duties (offered only with an evaluator, confinement to the workspace, limits, time,
/// capping, errors), against a recording <see cref="ISelfEvaluator"/>. The CLI's real evaluator, a child
/// <c>mlrb eval --split validation</c>, is tested end to end in Mlrb.Cli.Tests (SelfEvaluationTests).
/// </summary>
public class EvaluateToolTests
{
    private readonly List<ToolHarness> _harnesses = [];

    [TearDown]
    public void TearDown() => _harnesses.ForEach(h => h.Dispose());

    private ToolHarness Harness(RecordingEvaluator evaluator, Action<MlrbToolsOptions>? configure = null, DateTimeOffset? deadline = null, TimeProvider? time = null, string? task = "mini_baby_lm")
    {
        var h = new ToolHarness(
            o =>
            {
                o.Sandbox = SandboxMode.None;
                configure?.Invoke(o);
            },
            deadline,
            time,
            services => services.AddSingleton<ISelfEvaluator>(evaluator),
            task);
        _harnesses.Add(h);
        return h;
    }

    [Test]
    public void WithoutAnEvaluator_TheToolIsNotOffered()
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None, taskName: "mini_baby_lm");
        Assert.That(h.Tools.Select(t => t.Name), Does.Not.Contain("evaluate"));
    }

    [Test]
    public void WithAnEvaluator_ItIsOfferedRightAfterReturnFn_WithItsLimitsInTheSchema()
    {
        var h = Harness(new RecordingEvaluator(), o => o.EvaluateMaxLimit = 77);
        var names = h.Tools.Select(t => t.Name).ToList();
        Assert.That(names.IndexOf("evaluate"), Is.EqualTo(names.IndexOf("return_fn") + 1));
        Assert.That(names, Has.Count.EqualTo(18));
        var limit = h["evaluate"].JsonSchema.GetProperty("properties").GetProperty("limit");
        Assert.That(limit.GetProperty("maximum").GetInt64(), Is.EqualTo(77));
        Assert.That(h["evaluate"].AsAIFunction().Name, Is.EqualTo("evaluate"));
    }

    [Test]
    public async Task ModelFolder_IsScored_WithTheDefaultLimit_AndTheConfiguredTime()
    {
        var evaluator = new RecordingEvaluator { Answer = "score (blimp): 0.6000" };
        var h = Harness(evaluator, o => (o.EvaluateDefaultLimit, o.EvaluateTimeout) = (7, TimeSpan.FromMinutes(12)));
        Directory.CreateDirectory(h.PathOf("out/model"));

        var r = await h.InvokeAsync("evaluate", new { model_path = "out/model/" });

        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Tool, Is.EqualTo("evaluate"));
        Assert.That(r.Stdout, Is.EqualTo("score (blimp): 0.6000"));
        var request = evaluator.Requests.Single();
        Assert.That(request.ModelDirectory, Is.EqualTo(Path.Combine(new Mlrb.Tools.Workspace.WorkspaceGuard(h.Workspace).Root, "out", "model")));
        Assert.That(request.ModelPath, Is.EqualTo("out/model"));
        Assert.That(request.Limit, Is.EqualTo(7));
        Assert.That(request.Timeout, Is.EqualTo(TimeSpan.FromMinutes(12)));
        Assert.That(request.Context.TaskName, Is.EqualTo("mini_baby_lm"));
    }

    [Test]
    public async Task ExplicitLimit_IsPassedOn_AndOneOverTheMaximumIsRefusedBeforeScoring()
    {
        var evaluator = new RecordingEvaluator();
        var h = Harness(evaluator, o => o.EvaluateMaxLimit = 50);
        Directory.CreateDirectory(h.PathOf("model"));

        Assert.That((await h.InvokeAsync("evaluate", new { model_path = "model", limit = 3 })).IsSuccess, Is.True);
        var over = await h.InvokeAsync("evaluate", new { model_path = "model", limit = 51 });

        Assert.That(over.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(over.Stderr, Does.Contain("limit"));
        Assert.That(evaluator.Requests.Select(r => r.Limit), Is.EqualTo(new[] { 3 }));
    }

    [TestCase("../")]
    [TestCase("/etc")]
    [TestCase("model/../../x")]
    public async Task PathsOutsideTheWorkspace_AreRefused_WithoutScoring(string path)
    {
        var evaluator = new RecordingEvaluator();
        var h = Harness(evaluator);

        var r = await h.InvokeAsync("evaluate", new { model_path = path });

        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("outside the workspace"));
        Assert.That(evaluator.Requests, Is.Empty);
    }

    [Test]
    public async Task ALinkToAFolderOutside_AndALinkInsideTheModelFolderLeadingOut_AreRefused()
    {
        var evaluator = new RecordingEvaluator();
        var h = Harness(evaluator);
        var outside = Mlrb.Testing.TestPaths.CreateTempDirectory("mlrb-outside");
        try
        {
            File.WriteAllText(Path.Combine(outside, "config.json"), "{}");
            Directory.CreateSymbolicLink(h.PathOf("linked"), outside);
            Directory.CreateDirectory(h.PathOf("model"));
            File.CreateSymbolicLink(h.PathOf("model/tokenizer.json"), Path.Combine(outside, "config.json"));

            var viaFolder = await h.InvokeAsync("evaluate", new { model_path = "linked" });
            var viaFile = await h.InvokeAsync("evaluate", new { model_path = "model" });

            Assert.That(viaFolder.Status, Is.EqualTo(ToolStatus.Failure));
            Assert.That(viaFolder.Stderr, Does.Contain("symbolic link"));
            Assert.That(viaFile.Status, Is.EqualTo(ToolStatus.Failure));
            Assert.That(viaFile.Stderr, Does.Contain("symbolic link").And.Contain("tokenizer.json"));
            Assert.That(evaluator.Requests, Is.Empty);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Test]
    public async Task ALinkThatStaysInside_IsAllowed()
    {
        var evaluator = new RecordingEvaluator();
        var h = Harness(evaluator);
        Directory.CreateDirectory(h.PathOf("weights"));
        File.WriteAllText(h.PathOf("weights/model.safetensors"), "x");
        Directory.CreateDirectory(h.PathOf("model"));
        File.CreateSymbolicLink(h.PathOf("model/model.safetensors"), h.PathOf("weights/model.safetensors"));

        var r = await h.InvokeAsync("evaluate", new { model_path = "model" });

        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(evaluator.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task MissingFolder_OrAFile_GetsAClearMessage_WithoutScoring()
    {
        var evaluator = new RecordingEvaluator();
        var h = Harness(evaluator);
        File.WriteAllText(h.PathOf("model.bin"), "x");

        var missing = await h.InvokeAsync("evaluate", new { model_path = "model" });
        var file = await h.InvokeAsync("evaluate", new { model_path = "model.bin" });

        Assert.That(missing.Stderr, Does.Contain("there is no model folder 'model'").And.Contain("save_pretrained"));
        Assert.That(file.Stderr, Does.Contain("is a file"));
        Assert.That(evaluator.Requests, Is.Empty);
    }

    [Test]
    public async Task TheTimeLimit_IsShortenedToTheRunsRemainingTime_AndNothingRunsAfterTheDeadline()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var evaluator = new RecordingEvaluator();
        var h = Harness(evaluator, o => o.EvaluateTimeout = TimeSpan.FromMinutes(30), time.GetUtcNow() + TimeSpan.FromMinutes(5), time);
        Directory.CreateDirectory(h.PathOf("model"));

        await h.InvokeAsync("evaluate", new { model_path = "model" });
        time.Advance(TimeSpan.FromMinutes(6));
        var late = await h.InvokeAsync("evaluate", new { model_path = "model" });

        Assert.That(evaluator.Requests.Single().Timeout, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(late.Status, Is.EqualTo(ToolStatus.TimedOut));
        Assert.That(late.Stderr, Does.Contain("time is up"));
    }

    [Test]
    public async Task TheAnswer_IsCapped()
    {
        var evaluator = new RecordingEvaluator { Answer = new string('s', 50_000) };
        var h = Harness(evaluator, o => o.MaxModelTextChars = 1_000);
        Directory.CreateDirectory(h.PathOf("model"));

        var r = await h.InvokeAsync("evaluate", new { model_path = "model" });

        Assert.That(r.Stdout.Length, Is.LessThanOrEqualTo(1_000));
        Assert.That(r.Truncated, Is.True);
    }

    [Test]
    public async Task AnEvaluatorThatThrows_OrReportsAnInfrastructureFailure_NeverEndsTheRun()
    {
        var throwing = new RecordingEvaluator { Throw = new InvalidOperationException("the scorer exploded") };
        var h = Harness(throwing);
        Directory.CreateDirectory(h.PathOf("model"));
        var thrown = await h.InvokeAsync("evaluate", new { model_path = "model" });

        var infra = new RecordingEvaluator { Result = new ToolResult { Tool = "x", Status = ToolStatus.Failure, Stderr = "no data", InfrastructureFailure = true } };
        var h2 = Harness(infra);
        Directory.CreateDirectory(h2.PathOf("model"));
        var failed = await h2.InvokeAsync("evaluate", new { model_path = "model" });

        Assert.That((thrown.Status, thrown.InfrastructureFailure), Is.EqualTo((ToolStatus.Failure, false)));
        Assert.That(thrown.Stderr, Does.Contain("the scorer exploded"));
        Assert.That((failed.Status, failed.InfrastructureFailure, failed.Tool), Is.EqualTo((ToolStatus.Failure, false, "evaluate")));
        var outcome = await ((IToolOutcomeSource)h2["evaluate"].AsAIFunction()).InvokeForOutcomeAsync(System.Text.Json.JsonSerializer.SerializeToElement(new { model_path = "model" }));
        Assert.That(outcome.Text, Does.Contain("no data"), "a typed outcome, not a SandboxFailureException");
    }

    [Test]
    public async Task ARunWithoutATask_IsToldSo()
    {
        var evaluator = new RecordingEvaluator();
        var h = Harness(evaluator, task: null);
        Directory.CreateDirectory(h.PathOf("model"));

        var r = await h.InvokeAsync("evaluate", new { model_path = "model" });

        Assert.That(r.Stderr, Does.Contain("no task"));
        Assert.That(evaluator.Requests, Is.Empty);
    }

    /// <summary>Records each request and answers as told.</summary>
    private sealed class RecordingEvaluator : ISelfEvaluator
    {
        public List<SelfEvaluationRequest> Requests { get; } = [];

        public string Answer { get; init; } = "scored";

        public ToolResult? Result { get; init; }

        public Exception? Throw { get; init; }

        public Task<ToolResult> EvaluateAsync(SelfEvaluationRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Throw is not null ? Task.FromException<ToolResult>(Throw) : Task.FromResult(Result ?? ToolResult.Ok("evaluate", Answer));
        }
    }
}
