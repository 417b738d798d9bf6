using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Mlrb.Agents;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;
using Mlrb.Tools;
using Moq;

namespace Mlrb.SemanticKernel.Tests;

/// <summary>The research agent on a mocked kernel: planner and workers on different kernel services, by service id.</summary>
public class KernelResearchAgentTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = TestPaths.CreateTempDirectory("mlrb-sk-agent");

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static Mock<IChatCompletionService> PlannerService()
    {
        var planner = new Mock<IChatCompletionService>();
        planner.SetupGet(p => p.Attributes).Returns(new Dictionary<string, object?>());
        planner.SetupSequence(p => p.GetChatMessageContentsAsync(It.IsAny<ChatHistory>(), It.IsAny<PromptExecutionSettings?>(), It.IsAny<Kernel?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new ChatMessageContent(AuthorRole.Assistant, Scripts.Plan)])
            .ReturnsAsync([new ChatMessageContent(AuthorRole.Assistant, Scripts.Accept)]);
        return planner;
    }

    private static Mock<IChatClient> WorkerClient()
    {
        var worker = new Mock<IChatClient>();
        var turns = new Queue<ChatResponse>(Scripts.WorkerTurns());
        worker.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => turns.Dequeue());
        return worker;
    }

    private async Task<AgentRunResult> RunAsync(IResearchAgent agent)
    {
        var workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;
        await using var services = new ServiceCollection().AddMlrbTools().BuildServiceProvider();
        return await agent.RunAsync(new AgentRunRequest
        {
            RunId = "sk-run",
            TaskName = "mini_baby_lm",
            TaskPrompt = "Train a small model.",
            WorkspacePath = workspace,
            Tools = [.. services.GetRequiredService<IToolFactory>().CreateAIFunctions(new ToolContext { WorkspacePath = workspace })],
        });
    }

    [Test]
    public async Task MockedKernel_PlannerAndWorkerByServiceId_RunAScriptedResearchRunEndToEnd()
    {
        var planner = PlannerService();
        var worker = WorkerClient();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddKeyedSingleton("planner", planner.Object);
        builder.Services.AddKeyedSingleton("worker", worker.Object);
        var kernel = builder.Build();
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(_root, "mlrb.db"));

        var result = await RunAsync(kernel.CreateResearchAgent(store, o => o.MaxModelRetries = 0, plannerServiceId: "planner", workerServiceId: "worker"));

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(result.Submission!.Metrics["val_loss"], Is.EqualTo("2.5"));
        Assert.That(File.ReadAllText(Path.Combine(_root, "ws", "model", "config.json")), Is.EqualTo("{\"n_layer\": 2}"));
        var steps = await store.GetStepsAsync("sk-run");
        Assert.That(steps.Where(s => s.Kind == "tool").Select(s => s.Tool), Is.EqualTo(new[] { "write_code", "finish_subtask", "return_fn" }));
        Assert.That(steps.Select(s => s.Kind), Does.Contain("plan").And.Contain("review"));
        planner.Verify(p => p.GetChatMessageContentsAsync(It.IsAny<ChatHistory>(), It.IsAny<PromptExecutionSettings?>(), It.IsAny<Kernel?>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        worker.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        worker.Verify(c => c.Dispose(), Times.Never, "the kernel owns its services");
        var messages = await store.GetMessagesAsync("sk-run");
        Assert.That(messages.Any(m => m.Agent == "supervisor" && m.ContentJson.Contains("write, then submit", StringComparison.Ordinal)), Is.True, "the planner's reply is in the transcript");
    }

    [Test]
    public async Task DependencyInjection_AddKernel_UseKernel_ByServiceId()
    {
        var planner = PlannerService();
        var worker = WorkerClient();
        var services = new ServiceCollection();
        services.AddKernel();
        services.AddKeyedSingleton("planner", planner.Object);
        services.AddKeyedSingleton("worker", worker.Object);
        services.AddSingleton<IRunStore>(await RunStoreFactory.OpenSqliteAsync(Path.Combine(_root, "di.db")));
        services.AddMlrbAgents(o => o.MaxModelRetries = 0).AddMlrbKernelChatClients("planner", "worker");
        await using var provider = services.BuildServiceProvider();

        var result = await RunAsync(provider.GetRequiredService<IResearchAgent>());

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        worker.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Test]
    public void Resolve_NamesTheMissingService()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddKeyedSingleton("worker", WorkerClient().Object);
        var kernel = builder.Build();

        var missing = Assert.Throws<InvalidOperationException>(() => kernel.CreateResearchAgent(new Mock<IRunStore>().Object, plannerServiceId: "planner", workerServiceId: "worker"));
        Assert.That(missing!.Message, Does.Contain("'planner'"));
        var none = Assert.Throws<InvalidOperationException>(() => KernelChatClients.Resolve(new Kernel()));
        Assert.That(none!.Message, Does.Contain("no chat service"));
    }

    [Test]
    public async Task Resolve_WithoutId_TakesTheDefaultChatClient_ElseTheDefaultCompletionService()
    {
        var client = WorkerClient().Object;
        var withClient = Kernel.CreateBuilder();
        withClient.Services.AddSingleton(client);
        Assert.That(KernelChatClients.Resolve(withClient.Build()), Is.SameAs(client));

        var completion = PlannerService().Object;
        var withCompletion = Kernel.CreateBuilder();
        withCompletion.Services.AddSingleton(completion);
        var adapted = KernelChatClients.Resolve(withCompletion.Build());
        var reply = await adapted.GetResponseAsync("plan");
        Assert.That(reply.Text, Is.EqualTo(Scripts.Plan), "the completion service answered through the adapter");
    }
}
