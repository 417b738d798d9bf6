using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Mlrb.Agents;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;
using Moq;

namespace DocsExamples;

/// <summary>docs/agents.md: a scripted research run on two Moq'd IChatClients (planner and worker), offline.</summary>
public static class AgentsMockedChatClientExample
{
    public static async Task<(AgentRunResult Result, IReadOnlyList<StepRecord> Steps, Mock<IChatClient> Planner, Mock<IChatClient> Worker)> RunAsync(string root)
    {
        var workspace = Directory.CreateDirectory(Path.Combine(root, "workspace")).FullName;

        // The planner answers the plan request with two steps and accepts every review.
        var planner = new Mock<IChatClient>();
        planner.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.Is<ChatOptions?>(o => Schema(o) == "research_plan"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Text("""
                {"rationale":"write, then submit","steps":[
                  {"id":1,"title":"Write the model","instruction":"Write model/config.json.","dependsOn":[]},
                  {"id":2,"title":"Submit","instruction":"Call return_fn with the model.","dependsOn":[1]}]}
                """));
        planner.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.Is<ChatOptions?>(o => Schema(o) == "review"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Text("""{"verdict":"accept","notes":"looks right"}"""));

        // The worker calls Mlrb's real tools: write_code, finish_subtask (the agent's own), then return_fn.
        var worker = new Mock<IChatClient>();
        worker.SetupSequence(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Call("write_code", new { path = "model/config.json", code = "{\"n_layer\": 2}" }))
            .ReturnsAsync(Call("finish_subtask", new { summary = "model/config.json written", success = true }))
            .ReturnsAsync(Call("return_fn", new { submission = "{\"val_loss\": 2.5}", model_path = "model" }));

        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(root, "mlrb.db"));
        await using var services = new ServiceCollection().AddMlrbTools().BuildServiceProvider();
        var tools = services.GetRequiredService<IToolFactory>().CreateAIFunctions(new ToolContext { WorkspacePath = workspace });

        IResearchAgent agent = new ResearchAgentBuilder(store)
            .UseChatClient(AgentRole.Planner, planner.Object)
            .UseChatClient(AgentRole.Worker, worker.Object)
            .Configure(o => o.TimeLimit = TimeSpan.FromMinutes(30))
            .Build();
        var result = await agent.RunAsync(new AgentRunRequest
        {
            RunId = "mocked-run",
            TaskName = "mini_baby_lm",
            TaskPrompt = "Train the best small language model you can.",
            WorkspacePath = workspace,
            Tools = [.. tools],
        });
        return (result, await store.GetStepsAsync(result.RunId), planner, worker);
    }

    private static string? Schema(ChatOptions? options) => (options?.ResponseFormat as ChatResponseFormatJson)?.SchemaName;

    private static ChatResponse Text(string json) => new(new ChatMessage(ChatRole.Assistant, json))
    {
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
    };

    private static ChatResponse Call(string tool, object arguments) => new(new ChatMessage(ChatRole.Assistant,
        [new FunctionCallContent("call-" + tool, tool, JsonSerializer.SerializeToElement(arguments).Deserialize<Dictionary<string, object?>>())]))
    {
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 },
    };
}
