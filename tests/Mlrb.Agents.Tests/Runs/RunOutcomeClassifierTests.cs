using Microsoft.Extensions.AI;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Tests.Runs;

/// <summary>Each run ends in exactly one outcome, decided at the run level and stored with the run.</summary>
public class RunOutcomeClassifierTests
{
    private static bool IsFinal(ChatCall call) => call.Options?.ToolMode is RequiredChatToolMode;

    [Test]
    public async Task Submission_LeavesTheOutcomeToTheEvaluation()
    {
        var harness = new AgentHarness(call => call switch
        {
            { IsPlanning: true } => Reply.Plan((1, "Train and submit", [])),
            _ => Reply.Calls(("return_fn", new { model_path = "model", submission = "{\"loss\": 1}" })),
        });

        var result = await harness.CreateAgent().RunAsync(harness.Request([]));

        Assert.That(result.Submission, Is.Not.Null);
        Assert.That(result.Outcome, Is.Null);
        Assert.That(result.ToJson(), Does.Contain("\"outcome\": null"));
        Assert.That((await harness.Store.GetRunAsync("run-1"))!.Outcome, Is.Null);
    }

    [Test]
    public async Task TextOnlyAgent_EndsAsNoSubmission()
    {
        var harness = new AgentHarness(call => call switch
        {
            { IsPlanning: true } => Reply.Plan((1, "Think about it", [])),
            { IsReview: true } => Reply.Review("accept"),
            _ => Reply.Text("I have thought about it."),
        });

        var result = await harness.CreateAgent().RunAsync(harness.Request([]));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.NoSubmission), result.OutcomeDetail);
        Assert.That(result.Status, Is.EqualTo(RunStatus.Failed));
        var run = (await harness.Store.GetRunAsync("run-1"))!;
        Assert.That((run.Outcome, run.Score), Is.EqualTo((RunOutcome.NoSubmission, (double?)null)));
        Assert.That(result.ToJson(), Does.Contain("\"outcome\": \"no_submission\""));
    }

    [Test]
    public async Task TokenBudget_EndsAsBudgetExhausted_NamingTheBudget()
    {
        var harness = new AgentHarness(
            call => call switch
            {
                { IsPlanning: true } => Reply.Plan((1, "Work", [])),
                _ => Reply.Calls(("thought", new { thought = "more work" })),
            },
            o => o.MaxTotalTokens = 400);
        var thought = AIFunctionFactory.Create((string thought) => "noted", "thought");

        var result = await harness.CreateAgent().RunAsync(harness.Request([thought]));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.BudgetExhausted));
        Assert.That(result.OutcomeDetail, Does.StartWith("tokens: "));
        Assert.That((await harness.Store.GetRunAsync("run-1"))!.OutcomeDetail, Does.StartWith("tokens: "));
    }

    [Test]
    public async Task MalformedToolCalls_EndAsAgentError()
    {
        var harness = new AgentHarness(
            call => call switch
            {
                { IsPlanning: true } => Reply.Plan((1, "Work", [])),
                { IsReview: true } => Reply.Review("accept"),
                _ when IsFinal(call) => Reply.Calls(("return_fn", new { path_of_model = 3 })),
                _ => Reply.Calls(("no_such_tool", new { x = 1 })),
            },
            o => o.MaxReplans = 0);

        var result = await harness.CreateAgent().RunAsync(harness.Request([]));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.AgentError), result.OutcomeDetail);
        Assert.That(result.OutcomeDetail, Does.Contain("malformed"));
        Assert.That(RunOutcome.AgentError.IsInfrastructureFailure(), Is.False);
    }

    [Test]
    public async Task ProviderFailure_EndsAsProviderError()
    {
        var harness = new AgentHarness(call => call switch
        {
            { IsPlanning: true } => Reply.Plan((1, "Work", [])),
            _ => throw new HttpRequestException("Response status code does not indicate success: 500 (Internal Server Error)."),
        });

        var result = await harness.CreateAgent().RunAsync(harness.Request([]));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.ProviderError));
        Assert.That(result.OutcomeDetail, Does.Contain("500"));
        Assert.That(result.StopReason, Does.StartWith("model call failed"));
        Assert.That(result.Outcome!.Value.IsInfrastructureFailure(), Is.True);
    }

    [Test]
    public async Task RepeatedSandboxFailures_AbortTheRun_AsSandboxError()
    {
        var calls = 0;
        var harness = new AgentHarness(
            call => call switch
            {
                { IsPlanning: true } => Reply.Plan((1, "Work", [])),
                _ => Reply.Calls(("run_bash", new { script = "echo hi" })),
            },
            o => o.MaxSandboxFailures = 2);
        var broken = AIFunctionFactory.Create(
            (string script) =>
            {
                calls++;
                throw new SandboxFailureException("run_bash: the sandbox is required (Sandbox = Bubblewrap) but unusable");
#pragma warning disable CS0162 // The lambda needs a return type.
                return "";
#pragma warning restore CS0162
            },
            "run_bash");

        var result = await harness.CreateAgent().RunAsync(harness.Request([broken]));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.SandboxError), result.StopReason);
        Assert.That(result.OutcomeDetail, Does.Contain("2 times in a row").And.Contain("Bubblewrap"));
        Assert.That(calls, Is.EqualTo(2), "the run stopped at the second failure");
    }

    [Test]
    public async Task OneSandboxFailureBetweenGoodCalls_DoesNotEndTheRun()
    {
        var turn = 0;
        var harness = new AgentHarness(
            call => call switch
            {
                { IsPlanning: true } => Reply.Plan((1, "Work", [])),
                _ when ++turn <= 3 => Reply.Calls(("run_bash", new { script = "echo " + turn })),
                _ => Reply.Calls(("return_fn", new { model_path = "model", submission = "{}" })),
            },
            o => o.MaxSandboxFailures = 2);
        var flaky = AIFunctionFactory.Create(
            (string script) => script == "echo 2" ? throw new SandboxFailureException("run_bash: could not start 'bash'") : "ok",
            "run_bash");

        var result = await harness.CreateAgent().RunAsync(harness.Request([flaky]));

        Assert.That(result.Submission, Is.Not.Null, result.StopReason);
        Assert.That(result.Outcome, Is.Null);
    }
}
