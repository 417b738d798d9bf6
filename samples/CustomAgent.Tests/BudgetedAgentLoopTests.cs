using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Tasks;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;
using Moq;

namespace CustomAgent.Tests;

/// <summary>
/// The agent loop against a mocked <see cref="IChatClient"/> that scripts tool calls: real Mlrb tools, a real
/// workspace and a real SQLite run store; assertions on the files, the recorded steps and the budget.
/// </summary>
public sealed class BudgetedAgentLoopTests : IDisposable
{
    private static readonly ResearchTask Task = TaskCatalog.Builtin.GetTask("mini_llm_efficiency");

    private TempFolder _temp = null!;
    private ServiceProvider _services = null!;
    private IRunStore _store = null!;
    private string _workspace = null!;

    [SetUp]
    public async System.Threading.Tasks.Task SetUp()
    {
        _temp = new TempFolder();
        _services = new ServiceCollection().AddMlrbTools(o => o.DefaultProcessTimeout = TimeSpan.FromSeconds(30)).BuildServiceProvider();
        _store = await RunStoreFactory.OpenSqliteAsync(_temp.Combine("runs.db"));
        _workspace = _temp.Combine("workspace");
    }

    [TearDown]
    public async System.Threading.Tasks.Task TearDown()
    {
        await _store.DisposeAsync();
        await _services.DisposeAsync();
        _temp.Dispose();
    }

    [Test]
    public async System.Threading.Tasks.Task Scripted_run_writes_the_workspace_records_every_step_and_submits()
    {
        var (chat, requests) = Scripted(
            Script.Calls(
                ("write_code", [("path", "model/config.json"), ("code", "{\"n_layer\": 2}\n")]),
                ("write_code", [("path", "train.py"), ("code", "print('training')\n")])),
            Script.Call("run_bash", ("script", "printf 'val_loss: 3.25\\n' > metrics.txt && ls model")),
            Script.Call("list_workspace", ("path", ".")),
            Script.Call("return_fn", ("submission", "{\"val_loss\": 3.25}"), ("model_path", "model")));

        var summary = await Loop(chat).RunAsync(Task, _workspace, new AgentBudget(10, TimeSpan.FromMinutes(5)), "scripted-model");

        Assert.That(summary.Status, Is.EqualTo(RunStatus.Completed), summary.StopReason);
        Assert.That(summary.Iterations, Is.EqualTo(4));
        Assert.That(summary.ToolCalls, Is.EqualTo(5));
        Assert.That(summary.Submission!.Metrics["val_loss"], Is.EqualTo("3.25"));
        Assert.That(summary.Submission!.ModelPath, Is.EqualTo(Path.Combine(_workspace, "model")));

        // The workspace holds what the tools wrote.
        Assert.That(File.ReadAllText(Path.Combine(_workspace, "model", "config.json")), Is.EqualTo("{\"n_layer\": 2}\n"));
        Assert.That(File.ReadAllText(Path.Combine(_workspace, "train.py")), Is.EqualTo("print('training')\n"));
        Assert.That(File.ReadAllText(Path.Combine(_workspace, "metrics.txt")), Is.EqualTo("val_loss: 3.25\n"));

        // The model was offered Mlrb's 17 tools plus the sample's own, and saw each result in the next request.
        Assert.That(requests[0].Options!.Tools!.Select(t => t.Name), Does.Contain("list_workspace").And.Contain("run_python").And.Contain("return_fn"));
        Assert.That(requests[0].Options!.Tools, Has.Count.EqualTo(18));
        Assert.That(requests[0].Options!.ModelId, Is.EqualTo("scripted-model"));
        Assert.That(ToolResults(requests[2].Messages), Does.Contain("config.json"), "run_bash's ls output reaches the model");
        Assert.That(ToolResults(requests[3].Messages), Does.Contain("model/config.json").And.Contain("metrics.txt").And.Contain("train.py"));

        // Every call is a step, in order, with its call id, arguments and outcome; tokens sit on each reply's first step.
        var steps = await _store.GetStepsAsync(summary.RunId);
        Assert.That(steps.Select(s => $"{s.Kind}:{s.Tool}:{s.Status}"), Is.EqualTo(new[]
        {
            "tool:write_code:Succeeded", "tool:write_code:Succeeded", "tool:run_bash:Succeeded",
            "tool:list_workspace:Succeeded", "tool:return_fn:Succeeded", "submission:return_fn:Succeeded",
        }));
        Assert.That(steps.Take(5).Select(s => s.CallId), Is.All.StartsWith("call_"));
        Assert.That(steps.Select(s => s.InputTokens), Is.EqualTo(new long[] { 100, 0, 100, 100, 100, 0 }));
        Assert.That(JsonDocument.Parse(steps[0].ArgumentsJson!).RootElement.GetProperty("path").GetString(), Is.EqualTo("model/config.json"));
        Assert.That(steps[2].OutputExcerpt, Does.Contain("config.json"));
        Assert.That(steps.Select(s => s.CompletedAt is not null && s.Agent == BudgetedAgentLoop.AgentName), Is.All.True);

        var run = await _store.GetRunAsync(summary.RunId);
        Assert.That(run!.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(run.TaskName, Is.EqualTo("mini_llm_efficiency"));
        Assert.That(run.InputTokens, Is.EqualTo(400));
        Assert.That(run.OutputTokens, Is.EqualTo(40));
        Assert.That(run.FinishedAt, Is.Not.Null);
        Assert.That(run.ResultJson, Does.Contain("val_loss"));

        // The transcript: system and task prompts (with the real workspace path), then 4 replies and 4 tool messages.
        var messages = await _store.GetMessagesAsync(summary.RunId);
        Assert.That(messages.Select(m => m.Role), Is.EqualTo(new[] { "system", "user", "assistant", "tool", "assistant", "tool", "assistant", "tool", "assistant", "tool" }));
        Assert.That(messages[0].ContentJson + messages[1].ContentJson, Does.Contain(JsonEncodedText.Encode(_workspace).Value));
    }

    [Test]
    public async System.Threading.Tasks.Task Failed_tool_calls_are_recorded_and_shown_to_the_model_and_nothing_leaves_the_workspace()
    {
        var (chat, requests) = Scripted(
            Script.Call("write_code", ("path", "../outside.txt"), ("code", "escaped")),
            Script.Call("list_workspace", ("path", "..")),
            Script.Call("no_such_tool"),
            Script.Call("return_fn", ("submission", "val_loss: 1"), ("model_path", "missing-model")),
            Script.Text("unused"));

        var summary = await Loop(chat).RunAsync(Task, _workspace, new AgentBudget(4, TimeSpan.FromMinutes(5)), "scripted-model");

        Assert.That(summary.Status, Is.EqualTo(RunStatus.BudgetExhausted));
        Assert.That(File.Exists(_temp.Combine("outside.txt")), Is.False);
        var steps = await _store.GetStepsAsync(summary.RunId);
        Assert.That(steps.Select(s => $"{s.Tool}:{s.Status}"), Is.EqualTo(new[]
        {
            "write_code:Failed", "list_workspace:Failed", "no_such_tool:Failed", "return_fn:Failed",
        }));
        Assert.That(steps[2].ErrorExcerpt, Does.Contain("There is no tool named 'no_such_tool'"));
        Assert.That(steps[3].ErrorExcerpt, Does.Contain("missing-model"));
        Assert.That(steps.Select(s => s.OutputExcerpt), Is.All.Null);
        Assert.That(ToolResults(requests[1].Messages), Does.Contain("write_code"), "the model reads why the call failed");
        Assert.That(ToolResults(requests[2].Messages), Does.Contain("outside the working directory"));
    }

    [Test]
    public async System.Threading.Tasks.Task Iteration_budget_stops_a_model_that_never_submits()
    {
        var chat = new Mock<IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Script.Call("thought", ("thought", "one more idea")));

        var summary = await Loop(chat.Object).RunAsync(Task, _workspace, new AgentBudget(3, TimeSpan.FromMinutes(5)), "scripted-model");

        Assert.That(summary.Status, Is.EqualTo(RunStatus.BudgetExhausted));
        Assert.That(summary.StopReason, Does.Contain("iteration budget").And.Contain("3 model calls"));
        chat.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        var steps = await _store.GetStepsAsync(summary.RunId);
        Assert.That(steps.Select(s => $"{s.Tool}:{s.Status}"), Is.EqualTo(Enumerable.Repeat("thought:Succeeded", 3)));
        var run = await _store.GetRunAsync(summary.RunId);
        Assert.That(run!.Status, Is.EqualTo(RunStatus.BudgetExhausted));
        Assert.That(run.StopReason, Is.EqualTo(summary.StopReason));
        Assert.That(run.ResultJson, Is.Null);
    }

    [Test]
    public async System.Threading.Tasks.Task Time_budget_stops_the_run_when_the_clock_passes_the_deadline()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var chat = new Mock<IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions>(), It.IsAny<CancellationToken>()))
            .Callback(() => clock.Advance(TimeSpan.FromMinutes(2)))
            .ReturnsAsync(() => Script.Call("thought", ("thought", "slow model")));

        var summary = await new BudgetedAgentLoop(chat.Object, Tools(), _store, clock)
            .RunAsync(Task, _workspace, new AgentBudget(100, TimeSpan.FromMinutes(5)), "scripted-model");

        // Calls at 0, 2 and 4 minutes; at 6 minutes the 5-minute budget is spent.
        Assert.That(summary.Status, Is.EqualTo(RunStatus.BudgetExhausted));
        Assert.That(summary.StopReason, Does.StartWith("time budget spent"));
        Assert.That(summary.Iterations, Is.EqualTo(3));
        var run = await _store.GetRunAsync(summary.RunId);
        Assert.That(run!.FinishedAt - run.StartedAt, Is.EqualTo(TimeSpan.FromMinutes(6)));
        Assert.That(run.TimeLimit, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public async System.Threading.Tasks.Task A_model_call_that_hangs_is_cut_at_the_deadline()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var chat = new Mock<IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions>(), It.IsAny<CancellationToken>()))
            .Returns(async (IEnumerable<ChatMessage> _, ChatOptions? _, CancellationToken ct) =>
            {
                // The model hangs while the clock passes the 1-second deadline: only the deadline's timer can end the call.
                clock.Advance(TimeSpan.FromSeconds(2));
                await System.Threading.Tasks.Task.Delay(Timeout.Infinite, ct);
                return Script.Text("never");
            });

        var summary = await new BudgetedAgentLoop(chat.Object, Tools(), _store, clock)
            .RunAsync(Task, _workspace, new AgentBudget(5, TimeSpan.FromSeconds(1)), "scripted-model")
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(summary.Status, Is.EqualTo(RunStatus.BudgetExhausted));
        Assert.That(summary.StopReason, Does.Contain("during a model call"));
        Assert.That((await _store.GetRunAsync(summary.RunId))!.Status, Is.EqualTo(RunStatus.BudgetExhausted));
    }

    [Test]
    public async System.Threading.Tasks.Task A_reply_without_tool_calls_is_a_note_step_and_the_model_gets_Mlrbs_turn_prompt()
    {
        var (chat, requests) = Scripted(Script.Text("I will think about it."), Script.Text("Still thinking."));

        var summary = await Loop(chat).RunAsync(Task, _workspace, new AgentBudget(2, TimeSpan.FromMinutes(5)), "scripted-model");

        var steps = await _store.GetStepsAsync(summary.RunId);
        Assert.That(steps.Select(s => $"{s.Kind}:{s.OutputExcerpt}"), Is.EqualTo(new[] { "note:I will think about it.", "note:Still thinking." }));
        var nudge = requests[1].Messages[^1];
        Assert.That(nudge.Role, Is.EqualTo(ChatRole.User));
        Assert.That(nudge.Text, Does.Contain("You answered without calling a tool").And.Contain(_workspace));
    }

    [Test]
    public async System.Threading.Tasks.Task A_failing_endpoint_marks_the_run_failed_with_the_reason()
    {
        var chat = new Mock<IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("connection refused (127.0.0.1:9)"));

        var summary = await Loop(chat.Object).RunAsync(Task, _workspace, AgentBudget.Default, "scripted-model");

        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        var run = await _store.GetRunAsync(summary.RunId);
        Assert.That(run!.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(run.StopReason, Does.Contain("connection refused"));
    }

    public void Dispose() => _temp?.Dispose();

    private IToolFactory Tools() => _services.GetRequiredService<IToolFactory>();

    private BudgetedAgentLoop Loop(IChatClient chat) => new(chat, Tools(), _store);

    /// <summary>A mocked chat client answering with <paramref name="replies"/> in order; each request is kept (messages copied).</summary>
    private static (IChatClient Chat, List<(List<ChatMessage> Messages, ChatOptions? Options)> Requests) Scripted(params ChatResponse[] replies)
    {
        var requests = new List<(List<ChatMessage>, ChatOptions?)>();
        var script = new Queue<ChatResponse>(replies);
        var chat = new Mock<IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions>(), It.IsAny<CancellationToken>()))
            .Callback((IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken _) => requests.Add((messages.ToList(), options)))
            .ReturnsAsync(() => script.TryDequeue(out var reply) ? reply : throw new InvalidOperationException("the script has no more replies"));
        return (chat.Object, requests);
    }

    private static string ToolResults(List<ChatMessage> messages) =>
        string.Join("\n", messages[^1].Contents.OfType<FunctionResultContent>().Select(r => r.Result?.ToString()));
}
