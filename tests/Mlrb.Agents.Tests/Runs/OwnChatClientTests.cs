using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;
using Moq;

namespace Mlrb.Agents.Tests.Runs;

/// <summary>Bring your own IChatClient: per role, through options, keyed services and the builder; never disposed by the agent.</summary>
public class OwnChatClientTests
{
    private static ChatResponse PlannerScript(ChatCall call) => call switch
    {
        { IsPlanning: true } => Reply.Plan((1, "Submit", [])),
        _ => Reply.Review("accept"),
    };

    private static ChatResponse WorkerScript(ChatCall call)
        => Reply.Calls(("return_fn", new { model_path = "m/", metrics = new { acc = 0.5 } }));

    private static AgentRunRequest Request(string runId = "own") => new()
    {
        RunId = runId,
        TaskName = "mini_baby_lm",
        TaskPrompt = "Train a model.",
        WorkspacePath = TestPaths.CreateTempDirectory("mlrb-own"),
        Tools = [],
    };

    [Test]
    public async Task KeyedServices_GiveEachRoleItsOwnClient_AndTheAgentDoesNotDisposeThem()
    {
        var planner = new TrackedClient(PlannerScript, "planner-provider", "planner-model");
        var worker = new TrackedClient(WorkerScript, "worker-provider", "worker-model");
        var store = new InMemoryRunStore();
        var services = new ServiceCollection();
        services.AddSingleton<IRunStore>(store);
        services.AddKeyedSingleton<IChatClient>(AgentRole.Planner, planner);
        services.AddKeyedSingleton<IChatClient>(AgentRole.Worker, worker);
        services.AddMlrbAgents(o => o.MaxModelRetries = 0);
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IResearchAgent>().RunAsync(Request());

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(planner.Calls.Select(c => c.IsPlanning), Is.EqualTo(new[] { true }), "only the planner plans");
        Assert.That(worker.Calls, Has.Count.EqualTo(1));
        Assert.That(worker.Calls.Single().Options!.Tools!.Select(t => t.Name), Does.Contain("return_fn"));
        Assert.That(result.Model, Is.EqualTo("worker-provider/worker-model"), "named from the worker client's metadata");
        var run = await store.GetRunAsync("own");
        Assert.That((run!.Provider, run.Model), Is.EqualTo(("worker-provider", "worker-model")));
        Assert.That(run.MetadataJson, Does.Contain("planner-provider/planner-model"));
        Assert.That((planner.Disposed, worker.Disposed), Is.EqualTo((false, false)));
    }

    [Test]
    public async Task OptionsCallback_OverridesKeyedServices_AndNullLeavesTheRoleToTheNextSource()
    {
        var keyedPlanner = new TrackedClient(PlannerScript, "keyed", "k");
        var ownWorker = new TrackedClient(WorkerScript, "own", "w");
        var services = new ServiceCollection();
        services.AddSingleton<IRunStore>(new InMemoryRunStore());
        services.AddSingleton(ownWorker);
        services.AddKeyedSingleton<IChatClient>(AgentRole.Planner, keyedPlanner);
        services.AddKeyedSingleton<IChatClient>(AgentRole.Worker, new TrackedClient(_ => throw new InvalidOperationException("the keyed worker must not be used"), "x", "x"));
        services.AddMlrbAgents(o => o.MaxModelRetries = 0)
            .AddMlrbAgentChatClients((sp, role) => role == AgentRole.Worker ? sp.GetRequiredService<TrackedClient>() : null);
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IResearchAgent>().RunAsync(Request());

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(keyedPlanner.Calls, Has.Count.EqualTo(1), "null from the callback fell through to the keyed planner");
        Assert.That(ownWorker.Calls, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Builder_OneClientForBothRoles_MockedWithMoq()
    {
        var client = new Mock<IChatClient>();
        client.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.Is<ChatOptions?>(o => o!.ResponseFormat is ChatResponseFormatJson), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Reply.Plan((1, "Submit", [])));
        client.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.Is<ChatOptions?>(o => o!.ResponseFormat == null), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Reply.Calls(("return_fn", new { model_path = "m/", metrics = new { acc = 0.7 } })));
        var store = new InMemoryRunStore();

        var agent = new ResearchAgentBuilder(store).UseChatClient(client.Object).Configure(o => o.MaxModelRetries = 0).Build();
        var result = await agent.RunAsync(Request("built"));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(result.Submission!.Metrics["acc"], Is.EqualTo("0.7"));
        Assert.That(result.InputTokens, Is.EqualTo(200));
        client.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        client.Verify(c => c.Dispose(), Times.Never);
        Assert.That(await store.GetStepsAsync("built"), Is.Not.Empty);
    }

    [Test]
    public async Task Builder_RoleWithoutClient_FallsBackToTheBuiltInProvider_WhichNeedsItsKey()
    {
        if (Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY") is not null || Environment.GetEnvironmentVariable("ANTHROPIC") is not null)
        {
            Assert.Ignore("an Anthropic key is set in this environment");
        }

        var worker = new TrackedClient(WorkerScript, "own", "w");
        var agent = new ResearchAgentBuilder(new InMemoryRunStore())
            .UseChatClient(AgentRole.Worker, worker)
            .Configure(o => o.Planner = new ModelOptions { Provider = ChatProvider.Anthropic, ApiKey = null })
            .Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync(Request("fallback")));
        Assert.That(error!.Message, Does.Contain("Anthropic API key"));
        Assert.That(worker.Calls, Is.Empty);
    }

    [Test]
    public void Builder_InvalidOptions_AreListed()
    {
        var builder = new ResearchAgentBuilder(new InMemoryRunStore()).Configure(o => o.ParallelWorkers = 0);

        var error = Assert.Throws<ArgumentException>(() => builder.Build());
        Assert.That(error!.Message, Does.Contain("ParallelWorkers"));
    }

    [Test]
    public void AddMlrbAgents_InvalidOptions_FailAtStart_EvenWithOwnClients()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRunStore>(new InMemoryRunStore());
        services.AddMlrbAgents(o => o.MaxIterationsPerSubtask = 0).AddMlrbAgentChatClients((_, _) => new TrackedClient(WorkerScript, "p", "m"));
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<MlrbAgentsOptions>>().Value);
    }

    /// <summary>A scripted client that names itself and notes whether it was disposed.</summary>
    private sealed class TrackedClient(Func<ChatCall, ChatResponse> script, string provider, string model) : IChatClient
    {
        private readonly ScriptedChatClient _inner = new(script);

        public bool Disposed { get; private set; }

        public IReadOnlyList<ChatCall> Calls => [.. _inner.Calls];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => _inner.GetResponseAsync(messages, options, cancellationToken);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(provider, null, model) : null;

        public void Dispose() => Disposed = true;
    }
}
