using Mlrb.Tasks;
using Mlrb.Tasks.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Mlrb.Tasks services.</summary>
public static class MlrbTasksServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons: <see cref="MlrbTasksOptions"/>, <see cref="ITaskCatalog"/> (built-in tasks plus the
    /// task folders), <see cref="IPromptRenderer"/>, <see cref="IWorkspaceFactory"/> (using a registered
    /// <see cref="TimeProvider"/> if any) and <see cref="IRunStore"/> (the SQLite database, opened on first use and
    /// closed with the container).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes to the default options.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentException">An option is empty.</exception>
    public static IServiceCollection AddMlrbTasks(this IServiceCollection services, Action<MlrbTasksOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new MlrbTasksOptions();
        configure?.Invoke(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.WorkspaceRoot, nameof(MlrbTasksOptions.WorkspaceRoot));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ScratchpadFileName, nameof(MlrbTasksOptions.ScratchpadFileName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, nameof(MlrbTasksOptions.DatabasePath));
        if (options.TaskDirectories.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A task directory is empty.", nameof(configure));
        }

        services.AddSingleton(options);
        services.AddSingleton<ITaskCatalog>(_ => TaskCatalog.WithTaskDirectories(options.TaskDirectories));
        services.AddSingleton<IPromptRenderer, PromptRenderer>();
        services.AddSingleton<IWorkspaceFactory>(sp => new WorkspaceFactory(
            new WorkspaceOptions { RootDirectory = options.WorkspaceRoot, ScratchpadFileName = options.ScratchpadFileName },
            sp.GetService<TimeProvider>()));
        services.AddSingleton<IRunStore>(_ => SqliteRunStore.Open(options.DatabasePath));
        return services;
    }
}
