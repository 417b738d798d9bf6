using Microsoft.Extensions.DependencyInjection;
using Mlrb.Tasks;
using Mlrb.Tasks.Storage;

namespace DocsExamples;

/// <summary>docs/tasks.md: register the task services and resolve them.</summary>
public static class TasksDependencyInjectionExample
{
    public static (ITaskCatalog Catalog, IRunStore Store) Register(IServiceCollection services)
    {
        services.AddMlrbTasks(o =>
        {
            o.TaskDirectories.Add("my-tasks");
            o.WorkspaceRoot = "runs";                              // default
            o.DatabasePath = Path.Combine("runs", "mlrb.db");      // default
        });

        // ITaskCatalog, IPromptRenderer, IWorkspaceFactory (uses a registered TimeProvider), IRunStore, MlrbTasksOptions
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ITaskCatalog>(), provider.GetRequiredService<IRunStore>());
    }
}
