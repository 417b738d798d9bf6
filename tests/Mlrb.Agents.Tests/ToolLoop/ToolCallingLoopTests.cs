using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.Runs;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Agents.ToolLoop;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;
using Moq;

namespace Mlrb.Agents.Tests.ToolLoop;

public class ToolCallingLoopTests
{
    private InMemoryRunStore _store = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new InMemoryRunStore();
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    private RunContext CreateRun(MlrbAgentsOptions? options = null)
    {
        options ??= new MlrbAgentsOptions();
        var run = new RunRecord { RunId = "r", TaskName = "t", WorkspacePath = "/w", StartedAt = _time.GetUtcNow() };
        _store.CreateRunAsync(run).GetAwaiter().GetResult();
        var budget = new RunBudget(_time, _time.GetUtcNow(), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), new UsageMeter(options.Prices));
        return new RunContext(run, "task", _store, budget, options, null);
    }

    private static LoopRequest Request(IReadOnlyList<AITool> tools, int maxIterations = 10) => new()
    {
        Agent = "worker-1",
        History = [new ChatMessage(ChatRole.System, "sys"), new ChatMessage(ChatRole.User, "task")],
        Tools = tools,
        MaxIterations = maxIterations,
    };

    private static AIFunction Counter(List<string> calls) => AIFunctionFactory.Create(
        (string filepath, int repeats) =>
        {
            calls.Add($"{filepath}x{repeats}");
            return "ran " + filepath;
        },
        "run_python",
        "Runs a file.");

    [Test]
    public async Task MalformedUnknownAndInvalidCalls_AreAnsweredAsToolErrors_InTheSameTurnAsAValidCall()
    {
        var calls = new List<string>();
        var malformed = FunctionCallContent.CreateFromParsedArguments("{\"filepath\": ", "c1", "run_python", _ => throw new System.Text.Json.JsonException("unexpected end"));
        var turn = new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            malformed,
            new FunctionCallContent("c2", "github_list_files", new Dictionary<string, object?> { ["repo_url"] = "x" }),
            new FunctionCallContent("c3", "run_python", new Dictionary<string, object?> { ["filepath"] = 7 }),
            new FunctionCallContent("c4", "run_python", new Dictionary<string, object?> { ["filepath"] = "train.py", ["repeats"] = 2 }),
        ]));
        IList<ChatMessage>? secondRequest = null;
        var model = new Mock<IChatClient>();
        model.SetupSequence(m => m.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(turn)
            .ReturnsAsync(() => Reply.Calls((ToolCallingLoop.FinishToolName, new { summary = "ok", success = true })));
        model.Setup(m => m.GetService(It.IsAny<Type>(), It.IsAny<object?>())).Returns(null!);
        var request = Request([Counter(calls)]);

        var outcome = await new ToolCallingLoop(new CapturingClient(model.Object, r => secondRequest ??= r.Count > 2 ? r : null), CreateRun()).RunAsync(request, default);

        Assert.That(outcome.Kind, Is.EqualTo(LoopOutcomeKind.Finished));
        Assert.That(calls, Is.EqualTo(new[] { "train.pyx2" }), "only the valid call ran");
        var results = secondRequest!.Last().Contents.OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString());
        Assert.That(results["c1"], Does.Contain("not valid JSON"));
        Assert.That(results["c2"], Does.Contain("no tool named 'github_list_files'").And.Contain("run_python"));
        Assert.That(results["c3"], Does.Contain("'filepath' must be a string, not a number").And.Contain("missing required argument 'repeats' (an integer)"));
        Assert.That(results["c4"], Is.EqualTo("ran train.py"));
        var steps = await _store.GetStepsAsync("r");
        Assert.That(steps.Where(s => s.Kind == "tool").Select(s => s.Status), Is.EqualTo(new[] { StepStatus.Failed, StepStatus.Failed, StepStatus.Failed, StepStatus.Succeeded, StepStatus.Succeeded }));
    }

    [Test]
    public async Task ConsecutiveToolErrors_StopTheConversationAtTheCap()
    {
        var client = new ScriptedChatClient(_ => Reply.Calls(("no_such_tool", new { a = 1 })));
        var options = new MlrbAgentsOptions { MaxConsecutiveToolErrors = 3 };

        var outcome = await new ToolCallingLoop(client, CreateRun(options)).RunAsync(Request([]), default);

        Assert.That(outcome.Kind, Is.EqualTo(LoopOutcomeKind.Stalled));
        Assert.That(outcome.Summary, Does.Contain("3 consecutive failed tool calls"));
        Assert.That(client.Calls, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task IterationCap_StopsAModelThatNeverFinishes()
    {
        var calls = new List<string>();
        var client = new ScriptedChatClient(_ => Reply.Calls(("run_python", new { filepath = "a.py", repeats = 1 })));

        var outcome = await new ToolCallingLoop(client, CreateRun()).RunAsync(Request([Counter(calls)], maxIterations: 4), default);

        Assert.That(outcome.Kind, Is.EqualTo(LoopOutcomeKind.Stalled));
        Assert.That(outcome.Summary, Does.Contain("4 model turns"));
        Assert.That(calls, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task ToolFailureReportedInItsResult_CountsAsAFailedStep()
    {
        var failing = AIFunctionFactory.Create(() => new { tool = "run_bash", status = "Failure", stderr = "exit 1" }, "run_bash", "Runs bash.");
        var client = new ScriptedChatClient(call => call.ToolResults.Any()
            ? Reply.Calls((ToolCallingLoop.FinishToolName, new { summary = "gave up", success = false }))
            : Reply.Calls(("run_bash", new { })));

        var outcome = await new ToolCallingLoop(client, CreateRun()).RunAsync(Request([failing]), default);

        Assert.That(outcome.Success, Is.False);
        var step = (await _store.GetStepsAsync("r")).First(s => s.Tool == "run_bash");
        Assert.That(step.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(step.ErrorExcerpt, Does.Contain("exit 1"));
    }

    [Test]
    public async Task ToolFailureInMlrbTextForm_CountsAsAFailedStep()
    {
        var failing = AIFunctionFactory.Create(() => "run_python: failure (exit code 1)\nstderr:\nTraceback", "run_python", "Runs.");
        var client = new ScriptedChatClient(call => call.ToolResults.Any()
            ? Reply.Calls((ToolCallingLoop.FinishToolName, new { summary = "x", success = false }))
            : Reply.Calls(("run_python", new { })));

        await new ToolCallingLoop(client, CreateRun()).RunAsync(Request([failing]), default);

        var step = (await _store.GetStepsAsync("r")).First(s => s.Tool == "run_python");
        Assert.That(step.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(step.ErrorExcerpt, Does.Contain("Traceback"));
    }

    [Test]
    public async Task LongToolOutput_IsCappedKeepingHeadAndTail()
    {
        var noisy = AIFunctionFactory.Create(() => "HEAD" + new string('x', 5000) + "TAIL", "run_python", "Runs.");
        var client = new ScriptedChatClient(call => call.ToolResults.Any()
            ? Reply.Calls((ToolCallingLoop.FinishToolName, new { summary = "ok", success = true }))
            : Reply.Calls(("run_python", new { })));

        await new ToolCallingLoop(client, CreateRun(new MlrbAgentsOptions { MaxToolResultChars = 600 })).RunAsync(Request([noisy]), default);

        var sent = client.Calls.Last().ToolResults.Single().Result!.ToString()!;
        Assert.That(sent, Does.StartWith("HEAD").And.EndWith("TAIL").And.Contain("cut from the middle"));
        Assert.That(sent.Length, Is.LessThanOrEqualTo(600));
    }

    [Test]
    public async Task TextOnlyReplies_AreNudgedOnce_ThenTakenAsTheReport()
    {
        var client = new ScriptedChatClient(_ => Reply.Text("The data is in data/train.txt."));

        var outcome = await new ToolCallingLoop(client, CreateRun()).RunAsync(Request([]), default);

        Assert.That(outcome.Kind, Is.EqualTo(LoopOutcomeKind.Finished));
        Assert.That(outcome.Summary, Is.EqualTo("The data is in data/train.txt."));
        Assert.That(client.Calls.Last().LastUserText, Does.Contain("No tool was called"));
    }

    /// <summary>Passes calls through and lets the test see each request.</summary>
    private sealed class CapturingClient(IChatClient inner, Action<IList<ChatMessage>> capture) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.Select(m => m.Clone()).ToList();
            capture(list);
            return base.GetResponseAsync(list, options, cancellationToken);
        }
    }
}
