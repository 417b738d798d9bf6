using Microsoft.Extensions.DependencyInjection;
using Mlrb.Agents;
using Mlrb.Tasks;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;

namespace DocsExamples;

/// <summary>docs/agents.md: a local worker and a hosted planner on a prepared workspace.</summary>
public static class AgentsFromCodeExample
{
    public static async Task<AgentRunResult> RunAsync(Workspace workspace, string prompt)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRunStore>(await RunStoreFactory.OpenSqliteAsync("runs/mlrb.db"));
        services.AddMlrbTools();
        services.AddMlrbAgents(o =>
        {
            o.Worker = new ModelOptions { Provider = ChatProvider.OpenAI, Model = "qwen2.5-coder", Endpoint = new("http://localhost:8000/v1") };
            o.Planner = new ModelOptions { Provider = ChatProvider.Anthropic, Model = "claude-sonnet-4-5" };
            o.TimeLimit = TimeSpan.FromHours(8);
            o.ParallelWorkers = 2;
            o.Prices["claude-sonnet-4-5"] = new ModelPrice(3m, 15m);
        });
        await using var provider = services.BuildServiceProvider();

        var toolFactory = provider.GetRequiredService<IToolFactory>();
        var agent = provider.GetRequiredService<IResearchAgent>();
        var result = await agent.RunAsync(new AgentRunRequest
        {
            TaskName = "mini_baby_lm",
            TaskPrompt = prompt,
            WorkspacePath = workspace.RootPath,
            Tools = [.. toolFactory.CreateAIFunctions(new ToolContext { WorkspacePath = workspace.RootPath })],
            Progress = new Progress<AgentProgress>(p => Console.Error.WriteLine(p.Activity)),
        });
        Console.WriteLine(result.ToMarkdownTable());
        return result;
    }
}
