using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mlrb.Tasks;
using Mlrb.Tasks.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Mlrb.Tasks services.</summary>
public static class MlrbTasksServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons: <see cref="MlrbTasksOptions"/> (validated at start-up, see remarks), <see cref="ITaskCatalog"/>
    /// (built-in tasks plus the task folders), <see cref="IPromptRenderer"/>, <see cref="IWorkspaceFactory"/> (using a registered
    /// <see cref="TimeProvider"/> if any) and <see cref="IRunStore"/> (the SQLite database, opened on first use and closed with the
    /// container).
    /// </summary>
    /// <remarks>
    /// The options go through <c>IOptions&lt;MlrbTasksOptions&gt;</c>, so <c>services.Configure&lt;MlrbTasksOptions&gt;(…)</c> and
    /// configuration binding work too. Every invalid setting (an empty path, a scratchpad name with a folder in it, a task folder
    /// that does not exist) is reported together, by name, in an <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>:
    /// when a host starts (<c>ValidateOnStart</c>) or, without a host, when the first Mlrb.Tasks service is resolved.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes to the default options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddMlrbTasks(this IServiceCollection services, Action<MlrbTasksOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<MlrbTasksOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MlrbTasksOptions>, MlrbTasksOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MlrbTasksOptions>>().Value);
        services.TryAddSingleton<ITaskCatalog>(sp => TaskCatalog.WithTaskDirectories(sp.GetRequiredService<MlrbTasksOptions>().TaskDirectories));
        services.TryAddSingleton<IPromptRenderer, PromptRenderer>();
        services.TryAddSingleton<IWorkspaceFactory>(sp =>
        {
            var options = sp.GetRequiredService<MlrbTasksOptions>();
            return new WorkspaceFactory(
                new WorkspaceOptions { RootDirectory = options.WorkspaceRoot, ScratchpadFileName = options.ScratchpadFileName },
                sp.GetService<TimeProvider>());
        });
        services.TryAddSingleton<IRunStore>(sp => SqliteRunStore.Open(sp.GetRequiredService<MlrbTasksOptions>().DatabasePath));
        return services;
    }
}
