using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Mlrb.Agents;
using Moq;

namespace DocsExamples;

/// <summary>docs/agents.md: a mocked kernel (a Moq'd IChatCompletionService planner and IChatClient worker) drives a scripted run.</summary>
public static class SemanticKernelMockedExample
{
    public static async Task<(AgentRunResult Result, Mock<IChatCompletionService> Planner, Mock<IChatClient> Worker)> RunAsync(string root)
    {
        var planner = new Mock<IChatCompletionService>();
        planner.SetupGet(p => p.Attributes).Returns(new Dictionary<string, object?>());
        planner.SetupSequence(p => p.GetChatMessageContentsAsync(It.IsAny<ChatHistory>(), It.IsAny<PromptExecutionSettings?>(), It.IsAny<Kernel?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new ChatMessageContent(AuthorRole.Assistant, """
                {"rationale":"one step","steps":[{"id":1,"title":"Save and submit","instruction":"Save the model, then call return_fn.","dependsOn":[]}]}
                """)]);

        var worker = new Mock<IChatClient>();
        worker.SetupSequence(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Call("write_code", new { path = "model/weights.txt", code = "0.5\n" }))
            .ReturnsAsync(Call("return_fn", new { submission = "accuracy: 0.61", model_path = "model" }));

        var builder = Kernel.CreateBuilder();
        builder.Services.AddKeyedSingleton("planner", planner.Object);
        builder.Services.AddKeyedSingleton("worker", worker.Object);
        var result = await SemanticKernelExample.RunAsync(builder.Build(), root);
        return (result, planner, worker);
    }

    private static ChatResponse Call(string tool, object arguments) => new(new ChatMessage(ChatRole.Assistant,
        [new Microsoft.Extensions.AI.FunctionCallContent("call-" + tool, tool, JsonSerializer.SerializeToElement(arguments).Deserialize<Dictionary<string, object?>>())]));
}
