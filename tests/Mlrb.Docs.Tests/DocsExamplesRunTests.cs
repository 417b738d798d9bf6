using DocsExamples;
using Mlrb.Eval.Benchmarks;
using Microsoft.Extensions.AI;
using Mlrb.Tasks.Storage;
using Moq;

namespace Mlrb.Docs.Tests;

/// <summary>The docs examples do what their pages say when they run (the Agents one needs a model and is compile-only).</summary>
public sealed class DocsExamplesRunTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlrb-docs-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_temp);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public async Task Results_example_gives_the_results_of_the_task_with_failures_counted_as_zero()
    {
        var db = System.IO.Path.Combine(_temp, "results.db");
        await using (var store = await RunStoreFactory.OpenSqliteAsync(db))
        {
            var t0 = DateTimeOffset.UnixEpoch;
            await store.CreateRunAsync(new RunRecord { RunId = "a", TaskName = "mini_baby_lm", WorkspacePath = "/w/a", Label = "mine", StartedAt = t0, FinishedAt = t0.AddMinutes(1), Outcome = Mlrb.Tasks.Runs.RunOutcome.Scored, Score = 0.6 });
            await store.CreateRunAsync(new RunRecord { RunId = "b", TaskName = "mini_baby_lm", WorkspacePath = "/w/b", Label = "mine", StartedAt = t0, FinishedAt = t0.AddMinutes(1), Outcome = Mlrb.Tasks.Runs.RunOutcome.NoSubmission });
            await store.CreateRunAsync(new RunRecord { RunId = "c", TaskName = "mini_pile", WorkspacePath = "/w/c", Label = "mine", StartedAt = t0, FinishedAt = t0.AddMinutes(1), Outcome = Mlrb.Tasks.Runs.RunOutcome.Scored, Score = 0.9 });
        }

        var report = Mlrb.Tasks.Results.ResultsReport.FromJson(await ResultsExample.SummarizeAsync(db));

        var row = report.Summaries.Single();
        Assert.That((row.Task, row.Agent), Is.EqualTo(("mini_baby_lm", "mine")), "the example filters to mini_baby_lm");
        Assert.That(row.MeanScore, Is.EqualTo(0.3).Within(1e-12), "mean (0.6 + 0) / 2");
        Assert.That(row.MeanScoredScore, Is.EqualTo(0.6).Within(1e-12), "mean of scored 0.6");
    }

    [Test]
    public async Task Tasks_example_prepares_the_workspace_renders_the_prompt_and_records_the_step()
    {
        var (workspace, prompt, steps) = await TasksExample.RunAsync(_temp);

        Assert.That(workspace.RootPath, Does.StartWith(System.IO.Path.Combine(_temp, "runs")));
        Assert.That(System.IO.Path.Combine(workspace.RootPath, "llm_merging", "merging", "average.py"), Does.Exist, "mini_llm_merging's starter kit");
        Assert.That(prompt, Does.Contain(workspace.RootPath).And.Contain("MMLU"));
        Assert.That(System.IO.Path.Combine(_temp, "mlrb.db"), Does.Exist);
        Assert.That(steps, Has.Count.EqualTo(1));
        Assert.That((steps[0].Kind, steps[0].Status, steps[0].OutputExcerpt), Is.EqualTo(("plan", StepStatus.Succeeded, "1. average the experts")));
    }

    [Test]
    public async Task Tools_example_offers_17_functions_writes_a_file_and_runs_bash_in_the_workspace()
    {
        var (options, written, ran) = await ToolsExample.RunAsync(_temp);

        Assert.That(options.Tools, Has.Count.EqualTo(17));
        Assert.That(options.Tools!.Select(t => t.Name), Does.Contain("run_python").And.Contain("return_fn"));
        Assert.That(written.IsSuccess, Is.True, written.Stderr);
        Assert.That(File.ReadAllText(System.IO.Path.Combine(_temp, "hello.py")), Is.EqualTo("print(6 * 7)\n"));
        Assert.That(ran.IsSuccess, Is.True, ran.Stderr);
        Assert.That(ran.Stdout.Trim(), Is.EqualTo("1"));
    }

    [Test]
    public async Task Mocked_chat_client_example_runs_a_full_research_run_through_the_public_api()
    {
        var (result, steps, planner, worker) = await AgentsMockedChatClientExample.RunAsync(_temp);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(result.Submission!.Metrics["val_loss"], Is.EqualTo("2.5"));
        Assert.That(result.ModelPath, Is.EqualTo(System.IO.Path.Combine(_temp, "workspace", "model")));
        Assert.That(File.ReadAllText(System.IO.Path.Combine(_temp, "workspace", "model", "config.json")), Is.EqualTo("{\"n_layer\": 2}"), "the real write_code tool ran");
        Assert.That(steps.Where(s => s.Kind == "tool").Select(s => s.Tool), Is.EqualTo(new[] { "write_code", "finish_subtask", "return_fn" }));
        Assert.That(steps.Select(s => s.Kind), Does.Contain("plan").And.Contain("review").And.Contain("submission"));
        Assert.That(result.InputTokens, Is.EqualTo(500), "plan, review and three worker turns at 100 input tokens each");
        Assert.That(result.Model, Is.EqualTo("custom/custom"), "a mock has no metadata");
        planner.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.Is<ChatOptions?>(o => o!.Tools == null || o.Tools.Count == 0), It.IsAny<CancellationToken>()), Times.Exactly(2));
        worker.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.Is<ChatOptions?>(o => o!.Tools!.Any(t => t.Name == "write_code")), It.IsAny<CancellationToken>()), Times.Exactly(3));
        worker.Verify(c => c.Dispose(), Times.Never, "the agent does not dispose a client it borrowed");
    }

    [Test]
    public async Task Mocked_kernel_example_runs_a_full_research_run_on_the_kernels_services()
    {
        var (result, planner, worker) = await SemanticKernelMockedExample.RunAsync(_temp);

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(result.Submission!.Metrics["accuracy"], Is.EqualTo("0.61"));
        Assert.That(File.ReadAllText(System.IO.Path.Combine(_temp, "workspace", "model", "weights.txt")), Is.EqualTo("0.5\n"));
        Assert.That(result.Actions, Is.EqualTo(2), "write_code and return_fn");
        planner.Verify(p => p.GetChatMessageContentsAsync(It.IsAny<Microsoft.SemanticKernel.ChatCompletion.ChatHistory>(), It.IsAny<Microsoft.SemanticKernel.PromptExecutionSettings?>(), It.IsAny<Microsoft.SemanticKernel.Kernel?>(), It.IsAny<CancellationToken>()), Times.Once);
        worker.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task Eval_example_scores_a_minimal_pair_with_the_tiny_reference_checkpoint()
    {
        var model = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "reference", "models", "tiny-gpt2");

        var (tokens, scores, benchmark) = await EvalExample.RunAsync(model);

        Assert.That(tokens, Is.GreaterThan(0));
        Assert.That(scores, Has.Count.EqualTo(2));
        Assert.That(scores.Select(s => s.LogLikelihood), Has.All.LessThan(0).And.All.Matches<double>(double.IsFinite));
        Assert.That(scores[0].LogLikelihood, Is.Not.EqualTo(scores[1].LogLikelihood), "the two sentences differ in one token");
        Assert.That(benchmark, Is.EqualTo(BenchmarkKind.Blimp), "BabyLM is scored on BLiMP");
    }

    [Test]
    public async Task Serving_example_serves_the_tiny_model_and_answers_a_completion()
    {
        var model = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "reference", "models", "tiny-gpt2");
        var text = await ServingExample.RunAsync(model);
        Assert.That(text, Is.Not.Empty, "eight greedy tokens of the tiny GPT-2 decode to some text");
    }
}
