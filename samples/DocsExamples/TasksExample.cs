using Microsoft.Extensions.DependencyInjection;
using Mlrb.Tasks;
using Mlrb.Tasks.Storage;

namespace DocsExamples;

/// <summary>Mlrb.Tasks: pick a task, prepare its workspace, render its prompt and record the run.</summary>
public static class TasksExample
{
    public static async Task<(Workspace Workspace, string Prompt, IReadOnlyList<StepRecord> Steps)> RunAsync(string root)
    {
        await using var services = new ServiceCollection()
            .AddMlrbTasks(o =>
            {
                o.WorkspaceRoot = Path.Combine(root, "runs");      // one folder per run
                o.DatabasePath = Path.Combine(root, "mlrb.db");    // the SQLite run store
            })
            .BuildServiceProvider();

        ResearchTask task = services.GetRequiredService<ITaskCatalog>().GetTask("mini_llm_merging");
        Workspace workspace = await services.GetRequiredService<IWorkspaceFactory>().CreateAsync(task);
        string prompt = services.GetRequiredService<IPromptRenderer>().RenderTaskPrompt(task, workspace.ToPromptContext());

        IRunStore store = services.GetRequiredService<IRunStore>();
        var now = DateTimeOffset.UtcNow;
        await store.CreateRunAsync(new RunRecord { RunId = workspace.RunId, TaskName = task.Name, WorkspacePath = workspace.RootPath, StartedAt = now });
        long step = await store.AddStepAsync(new StepRecord { RunId = workspace.RunId, Agent = "me", Kind = "plan", StartedAt = now });
        await store.CompleteStepAsync(step, new StepCompletion(StepStatus.Succeeded, "1. average the experts", null, DateTimeOffset.UtcNow));
        return (workspace, prompt, await store.GetStepsAsync(workspace.RunId));
    }
}
