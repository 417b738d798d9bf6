using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Tests.Middleware;

public class MiddlewareTests
{
    [Test]
    public async Task Budget_RefusesCallsOnceTheDeadlinePasses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var meter = new UsageMeter(new Dictionary<string, ModelPrice>());
        var budget = new RunBudget(time, time.GetUtcNow(), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1), meter);
        var inner = new ScriptedChatClient(_ => Reply.Text("ok"));
        using var client = new BudgetChatClient(inner, budget);

        await client.GetResponseAsync("first");
        time.Advance(TimeSpan.FromMinutes(30));
        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync("second"));

        Assert.That(ex!.Reason, Does.Contain("time limit of 30m reached"));
        Assert.That(inner.Calls, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Budget_RefusesCallsOnceTheTokenCapIsSpent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var meter = new UsageMeter(new Dictionary<string, ModelPrice>());
        var budget = new RunBudget(time, time.GetUtcNow(), TimeSpan.FromHours(1), TimeSpan.Zero, meter, maxTokens: 150);
        var inner = new ScriptedChatClient(_ => Reply.Text("ok", input: 100, output: 60));
        using var client = new BudgetChatClient(new UsageChatClient(inner, meter), budget);

        await client.GetResponseAsync("first");
        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync("second"));

        Assert.That(ex!.Reason, Does.Contain("token budget spent (160 of 150)"));
    }

    [Test]
    public async Task Usage_SumsApiTokens_AndPricesDatedSnapshotsByTheirFamily()
    {
        var meter = new UsageMeter(new Dictionary<string, ModelPrice> { ["gpt-4o"] = new(2.5m, 10m), ["gpt-4o-mini"] = new(0.15m, 0.6m) });
        var inner = new ScriptedChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
        {
            ModelId = "gpt-4o-mini-2024-07-18",
            Usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 500_000 },
        });
        using var client = new UsageChatClient(inner, meter);

        await client.GetResponseAsync("a");
        await client.GetResponseAsync("b");

        Assert.That(meter.InputTokens, Is.EqualTo(2_000_000));
        Assert.That(meter.OutputTokens, Is.EqualTo(1_000_000));
        Assert.That(meter.CostUsd, Is.EqualTo((2 * 0.15m) + (1 * 0.6m)));
    }

    [Test]
    public async Task Usage_WithoutAPrice_ReportsNoCost()
    {
        var meter = new UsageMeter(new Dictionary<string, ModelPrice>());
        using var client = new UsageChatClient(new ScriptedChatClient(_ => Reply.Text("x")), meter);

        await client.GetResponseAsync("a");

        Assert.That(meter.TotalTokens, Is.EqualTo(110));
        Assert.That(meter.CostUsd, Is.Null);
    }

    [Test]
    public async Task Transcript_StoresEachMessageOnce_UnderTheCallingAgent()
    {
        var store = new InMemoryRunStore();
        await store.CreateRunAsync(new RunRecord { RunId = "r", TaskName = "t", WorkspacePath = "/w", StartedAt = DateTimeOffset.UnixEpoch });
        using var client = new TranscriptChatClient(new ScriptedChatClient(_ => Reply.Text("answer", 7, 3)), store, new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var history = new List<ChatMessage> { new(ChatRole.System, "sys"), new(ChatRole.User, "q1") };

        using (AgentCallScope.Enter("r", "worker-1"))
        {
            history.AddMessages(await client.GetResponseAsync(history));
            history.Add(new ChatMessage(ChatRole.User, "q2"));
            history.AddMessages(await client.GetResponseAsync(history));
        }

        var messages = await store.GetMessagesAsync("r");
        Assert.That(messages.Select(m => (m.Role, TranscriptChatClient.Deserialize(m).Text)), Is.EqualTo(new[]
        {
            ("system", "sys"), ("user", "q1"), ("assistant", "answer"), ("user", "q2"), ("assistant", "answer"),
        }));
        Assert.That(messages.All(m => m.Agent == "worker-1"), Is.True);
        Assert.That(messages.Where(m => m.Role == "assistant").Select(m => (m.InputTokens, m.OutputTokens)), Is.EqualTo(new[] { (7L, 3L), (7L, 3L) }));
    }

    [Test]
    public async Task Transcript_RoundTripsToolCallsAndResults()
    {
        var store = new InMemoryRunStore();
        using var client = new TranscriptChatClient(new ScriptedChatClient(_ => Reply.Text("ok")), store, new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        List<ChatMessage> history =
        [
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "run_python", new Dictionary<string, object?> { ["filepath"] = "a.py" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "loss 2.0")]),
        ];

        using (AgentCallScope.Enter("r", "worker-2"))
        {
            await client.GetResponseAsync(history);
        }

        var restored = (await store.GetMessagesAsync("r")).Select(TranscriptChatClient.Deserialize).ToList();
        var call = restored[0].Contents.OfType<FunctionCallContent>().Single();
        Assert.That((call.CallId, call.Name, call.Arguments!["filepath"]?.ToString()), Is.EqualTo(("c1", "run_python", "a.py")));
        Assert.That(restored[1].Contents.OfType<FunctionResultContent>().Single().Result?.ToString(), Is.EqualTo("loss 2.0"));
    }

    [Test]
    public async Task Builder_AppliesTheFirstLayerOutermost()
    {
        var order = new List<string>();
        var client = new ChatClientPipelineBuilder(new ScriptedChatClient(_ => { order.Add("provider"); return Reply.Text("x"); }))
            .Use(c => new Tagging(c, "outer", order))
            .Use(c => new Tagging(c, "inner", order))
            .Build();

        await client.GetResponseAsync("x");

        Assert.That(order, Is.EqualTo(new[] { "outer", "inner", "provider" }));
    }

    private sealed class Tagging(IChatClient inner, string name, List<string> order) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            order.Add(name);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
