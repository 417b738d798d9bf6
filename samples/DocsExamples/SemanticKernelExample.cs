using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Mlrb.Agents;
using Mlrb.SemanticKernel;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;

namespace DocsExamples;

/// <summary>Mlrb.SemanticKernel: an existing kernel runs an Mlrb task (planner and workers by service id) and gets Mlrb's tools as a plugin.</summary>
public static class SemanticKernelExample
{
    public static async Task<AgentRunResult> RunAsync(Kernel kernel, string root)
    {
        var workspace = Directory.CreateDirectory(Path.Combine(root, "workspace")).FullName;

        // 1. Mlrb's tools as a plugin of your kernel, for your own prompts with FunctionChoiceBehavior.Auto().
        KernelPlugin plugin = kernel.Plugins.AddMlrbTools(workspace, o => o.DefaultProcessTimeout = TimeSpan.FromMinutes(5));
        Console.WriteLine($"{plugin.Name}: {plugin.FunctionCount} functions");

        // 2. The research agent on the kernel's chat services: the planner and the workers may be different services.
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(root, "mlrb.db"));
        IResearchAgent agent = kernel.CreateResearchAgent(store, o => o.TimeLimit = TimeSpan.FromHours(2),
            plannerServiceId: "planner", workerServiceId: "worker");

        await using var services = new ServiceCollection().AddMlrbTools().BuildServiceProvider();
        var tools = services.GetRequiredService<IToolFactory>().CreateAIFunctions(new ToolContext { WorkspacePath = workspace });
        return await agent.RunAsync(new AgentRunRequest
        {
            RunId = "sk-run",
            TaskName = "mini_baby_lm",
            TaskPrompt = "Train the best small language model you can.",
            WorkspacePath = workspace,
            Tools = [.. tools],
        });
    }
}
