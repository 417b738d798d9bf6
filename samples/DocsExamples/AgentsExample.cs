using Microsoft.Extensions.DependencyInjection;
using Mlrb.Agents;
using Mlrb.Tasks;
using Mlrb.Tools;

namespace DocsExamples;

/// <summary>Mlrb.Agents: the supervisor/worker agent on an OpenAI-compatible endpoint, with Mlrb's tasks and tools.</summary>
public static class AgentsExample
{
    public static async Task<AgentRunResult> RunAsync(string root, Uri endpoint, string model, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddMlrbTasks(o => (o.WorkspaceRoot, o.DatabasePath) = (Path.Combine(root, "runs"), Path.Combine(root, "mlrb.db")))
            .AddMlrbTools();
        services.AddMlrbAgents(o =>
        {
            o.Planner = new ModelOptions { Provider = ChatProvider.OpenAI, Endpoint = endpoint, Model = model };
            o.Worker = new ModelOptions { Provider = ChatProvider.OpenAI, Endpoint = endpoint, Model = model };
            o.TimeLimit = TimeSpan.FromHours(2);   // hard wall-clock budget
            o.MaxCostUsd = 10m;                    // needs o.Prices for the model
        });
        await using var provider = services.BuildServiceProvider();

        ResearchTask task = provider.GetRequiredService<ITaskCatalog>().GetTask("mini_llm_efficiency");
        Workspace workspace = await provider.GetRequiredService<IWorkspaceFactory>().CreateAsync(task, cancellationToken: cancellationToken);
        var tools = provider.GetRequiredService<IToolFactory>().CreateAIFunctions(new ToolContext { WorkspacePath = workspace.RootPath, RunId = workspace.RunId });
        return await provider.GetRequiredService<IResearchAgent>().RunAsync(new AgentRunRequest
        {
            RunId = workspace.RunId,
            TaskName = task.Name,
            TaskPrompt = provider.GetRequiredService<IPromptRenderer>().RenderTaskPrompt(task, workspace.ToPromptContext()),
            WorkspacePath = workspace.RootPath,
            Tools = [.. tools],
        }, cancellationToken);
    }
}
