using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Tests.Planning;

public class SupervisorTests
{
    private static AIFunction WriteFile(string workspace, List<string>? log = null) => AIFunctionFactory.Create(
        (string path, string content) =>
        {
            log?.Add(path);
            File.WriteAllText(Path.Combine(workspace, path), content);
            return $"wrote {content.Length} characters to {path}";
        },
        "write_code",
        "Writes a file.");

    [Test]
    public async Task Success_PlansRunsReviewsAndSubmits_WithEveryStepStored()
    {
        var harness = new AgentHarness(call => call switch
        {
            { IsPlanning: true } => Reply.Plan((1, "Write the training script", []), (2, "Train and submit", [1])),
            { IsReview: true } => Reply.Review("accept"),
            { Agent: "worker-1" } when !call.ToolResults.Any() => Reply.Calls(("write_code", new { path = "train.py", content = "print('loss 2.5')" })),
            { Agent: "worker-1" } => Reply.Calls((ToolCallingLoopNames.Finish, new { summary = "train.py written", success = true })),
            { Agent: "worker-2" } => Reply.Calls(("return_fn", new { model_path = "model/", metrics = new { val_loss = 2.5 } })),
            _ => throw new InvalidOperationException("unexpected call " + call.Agent),
        });

        var result = await harness.CreateAgent().RunAsync(harness.Request([WriteFile(harness.Workspace)]));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(result.ModelPath, Is.EqualTo("model/"));
        Assert.That(result.Submission!.Metrics["val_loss"], Is.EqualTo("2.5"));
        Assert.That(File.ReadAllText(Path.Combine(harness.Workspace, "train.py")), Is.EqualTo("print('loss 2.5')"));
        var steps = await harness.Store.GetStepsAsync("run-1");
        Assert.That(steps.Select(s => s.Kind).Distinct(), Is.SupersetOf(new[] { "plan", "subtask", "tool", "review", "submission" }));
        Assert.That(steps.Where(s => s.Kind == "tool").Select(s => s.Tool), Is.EqualTo(new[] { "write_code", "finish_subtask", "return_fn" }));
        Assert.That(steps.All(s => s.Status != StepStatus.Started), Is.True, "every step is completed");
        Assert.That(result.Actions, Is.EqualTo(3));

        // Tokens come from the scripted usage fields: 5 calls (plan, 2 worker-1 turns, review, worker-2 turn).
        var calls = harness.Client.Calls.ToList();
        Assert.That(calls, Has.Count.EqualTo(5));
        long expectedInput = calls.Count * 100;
        Assert.That(result.InputTokens, Is.EqualTo(expectedInput));
        Assert.That(result.OutputTokens, Is.EqualTo(10 + 20 + 20 + 10 + 20));
        Assert.That(result.CostUsd, Is.EqualTo(((expectedInput * 2m) + (80 * 10m)) / 1_000_000m));

        var run = await harness.Store.GetRunAsync("run-1");
        Assert.That(run!.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(run.InputTokens, Is.EqualTo(expectedInput));
        Assert.That(AgentRunResult.FromJson(run.ResultJson!).ModelPath, Is.EqualTo("model/"));
        var messages = await harness.Store.GetMessagesAsync("run-1");
        Assert.That(messages.Select(m => m.Agent).Distinct(), Is.EquivalentTo(new[] { "supervisor", "worker-1", "worker-2" }));
        Assert.That(messages.Count(m => m.Agent == "worker-1" && m.Role == "system"), Is.EqualTo(1), "history is stored once, not once per call");
        Assert.That(harness.Progress.Any(p => p.Tool == "write_code"), Is.True);
    }

    [Test]
    public async Task FailedSubtask_LeadsToAReplan_ThatSeesTheFailure()
    {
        var plans = 0;
        var harness = new AgentHarness(call => call switch
        {
            { IsPlanning: true } => ++plans == 1
                ? Reply.Plan((1, "Fine-tune a pretrained GPT-2", []))
                : Reply.Plan((1, "Train a tiny GPT-2 from scratch", [])),
            { IsReview: true } when call.LastUserText.Contains("did not succeed", StringComparison.Ordinal) => Reply.Review("replan", "pretrained weights are forbidden"),
            { IsReview: true } => Reply.Review("accept"),
            { Agent: "worker-1" } => Reply.Calls((ToolCallingLoopNames.Finish, new { summary = "the rules forbid pretrained weights", success = false })),
            { Agent: "worker-2" } => Reply.Calls(("return_fn", new { model_path = "tiny/", submission = "{\"val_loss\": 3.9}" })),
            _ => throw new InvalidOperationException("unexpected call " + call.Agent),
        });

        var result = await harness.CreateAgent().RunAsync(harness.Request([]));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(result.Submission!.Metrics["val_loss"], Is.EqualTo("3.9"));
        var steps = await harness.Store.GetStepsAsync("run-1");
        Assert.That(steps.Count(s => s.Kind == "plan"), Is.EqualTo(2));
        var replanRequest = harness.Client.Calls.Where(c => c.IsPlanning).Last();
        Assert.That(replanRequest.LastUserText, Does.Contain("the rules forbid pretrained weights").And.Contain("pretrained weights are forbidden"));
        var secondWorker = harness.Client.Calls.First(c => c.Agent == "worker-2");
        Assert.That(secondWorker.LastUserText, Does.Contain("Train a tiny GPT-2 from scratch"));
    }

    [Test]
    public async Task BudgetEndsMidTool_ToolIsStopped_AndAFinalSubmissionIsAskedFor()
    {
        var toolStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowTool = AIFunctionFactory.Create(
            async (string script, CancellationToken ct) =>
            {
                toolStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return "never";
            },
            "run_bash",
            "Runs a script.");
        var harness = new AgentHarness(
            call => call switch
            {
                { IsPlanning: true } => Reply.Plan((1, "Train for a long time", [])),
                { Options.ToolMode: RequiredChatToolMode } => Reply.Calls(("return_fn", new { model_path = "checkpoint/", metrics = new { val_loss = 4.1 } })),
                { Agent: "worker-1" } => Reply.Calls(("run_bash", new { script = "python train.py --epochs 1000" })),
                _ => throw new InvalidOperationException("unexpected call " + call.Agent),
            },
            o => o.TimeLimit = TimeSpan.FromHours(2));

        var run = harness.CreateAgent().RunAsync(harness.Request([slowTool]));
        await toolStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        harness.Time.Advance(TimeSpan.FromHours(1.95));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(result.Status, Is.EqualTo(RunStatus.BudgetExhausted));
        Assert.That(result.StopReason, Does.Contain("time limit of 2h reached"));
        Assert.That(result.ModelPath, Is.EqualTo("checkpoint/"));
        var steps = await harness.Store.GetStepsAsync("run-1");
        var stopped = steps.Single(s => s.Tool == "run_bash");
        Assert.That(stopped.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(stopped.ErrorExcerpt, Does.Contain("stopped").And.Contain("time limit"));
        var final = harness.Client.Calls.Last();
        Assert.That(final.Options!.Tools!.Select(t => t.Name), Is.EqualTo(new[] { "return_fn" }));
        Assert.That(final.LastUserText, Does.Contain("Work has stopped: time limit of 2h reached"));
    }

    [Test]
    public async Task ModelThatNeverCallsReturnFn_EndsFailedAfterBoundedWork()
    {
        var harness = new AgentHarness(
            call => call switch
            {
                { IsPlanning: true } => Reply.Plan((1, "Explore", [])),
                { IsReview: true } => Reply.Review("retry", "keep going"),
                _ => Reply.Text("I think the model is trained well. return_fn would be next."),
            },
            o =>
            {
                o.MaxReplans = 1;
                o.MaxSubtaskRetries = 1;
            });

        var result = await harness.CreateAgent().RunAsync(harness.Request([]));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(result.Submission, Is.Null, "mentioning return_fn in text is not a submission");
        Assert.That(result.StopReason, Does.Contain("did not call return_fn"));
        Assert.That(harness.Client.Calls.Count(c => c.Options?.ToolMode is RequiredChatToolMode), Is.EqualTo(3), "the final submission is asked for, within its cap");
        Assert.That(harness.Client.Calls, Has.Count.LessThan(40));
    }

    [Test]
    public async Task ParallelWorkers_RunIndependentSubtasksAtTheSameTime()
    {
        var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var probe = AIFunctionFactory.Create(
            async (string name) =>
            {
                if (Interlocked.Increment(ref running) == 2)
                {
                    bothRunning.TrySetResult();
                }

                // Each tool waits for the other: this completes only when two workers run at once.
                await bothRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));
                return "ok " + name;
            },
            "scratchpad",
            "Notes.");
        var harness = new AgentHarness(
            call => call switch
            {
                { IsPlanning: true } => Reply.Plan((1, "Tokenizer", []), (2, "Data loader", []), (3, "Train and submit", [1, 2])),
                { IsReview: true } => Reply.Review("accept"),
                { Agent: "worker-1" or "worker-2" } when !call.ToolResults.Any() => Reply.Calls(("scratchpad", new { name = call.Agent })),
                { Agent: "worker-1" or "worker-2" } => Reply.Calls((ToolCallingLoopNames.Finish, new { summary = "done " + call.Agent, success = true })),
                { Agent: "worker-3" } => Reply.Calls(("return_fn", new { model_path = "m/" })),
                _ => throw new InvalidOperationException("unexpected call " + call.Agent),
            },
            o => o.ParallelWorkers = 2);

        var result = await harness.CreateAgent().RunAsync(harness.Request([probe])).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(bothRunning.Task.IsCompletedSuccessfully, Is.True);
        var worker3 = harness.Client.Calls.First(c => c.Agent == "worker-3");
        Assert.That(worker3.LastUserText, Does.Contain("done worker-1").And.Contain("done worker-2"), "the dependent subtask sees both results");
    }

    [Test]
    public async Task KilledRun_ResumesWithoutRepeatingCompletedToolCalls()
    {
        var runs = new Dictionary<string, int>();
        using var kill = new CancellationTokenSource();
        AIFunction Tool(string name, bool killOnFirst) => AIFunctionFactory.Create(
            (string arg) =>
            {
                lock (runs)
                {
                    runs[name] = runs.GetValueOrDefault(name) + 1;
                    if (killOnFirst && runs[name] == 1)
                    {
                        kill.Cancel();
                        throw new OperationCanceledException(kill.Token);
                    }
                }

                return name + " done";
            },
            name,
            "A step.");

        Func<ChatCall, ChatResponse> script = call => call switch
        {
            { IsPlanning: true } => Reply.Plan((1, "Prepare and train", [])),
            { Agent: "worker-1" } when !call.ToolResults.Any() => Reply.Calls(("prepare_data", new { arg = "a" }), ("train", new { arg = "b" })),
            { Agent: "worker-1" } => Reply.Calls(("return_fn", new { model_path = "out/" })),
            _ => throw new InvalidOperationException("unexpected call " + call.Agent),
        };
        var harness = new AgentHarness(script);
        IReadOnlyList<AITool> tools = [Tool("prepare_data", false), Tool("train", true)];

        var first = await harness.CreateAgent().RunAsync(harness.Request(tools), kill.Token);
        Assert.That(first.Status, Is.EqualTo(RunStatus.Cancelled));
        Assert.That(runs, Is.EqualTo(new Dictionary<string, int> { ["prepare_data"] = 1, ["train"] = 1 }));

        var resumed = await harness.CreateAgent().ResumeAsync("run-1", harness.Request(tools));

        Assert.That(resumed.Status, Is.EqualTo(RunStatus.Completed), resumed.StopReason);
        Assert.That(resumed.ModelPath, Is.EqualTo("out/"));
        Assert.That(runs["prepare_data"], Is.EqualTo(1), "the completed call is answered from the store");
        Assert.That(runs["train"], Is.EqualTo(2), "the interrupted call runs again");
        var steps = await harness.Store.GetStepsAsync("run-1");
        Assert.That(steps.Count(s => s.Kind == "plan"), Is.EqualTo(1), "the plan is not made twice");
        var afterResume = harness.Client.Calls.Last();
        Assert.That(afterResume.ToolResults.Select(r => r.Result?.ToString()), Is.EqualTo(new[] { "prepare_data done", "train done" }));
    }
}
