using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mlrb.Agents;
using Mlrb.Agents.Providers;
using Mlrb.Agents.Runs;
using Mlrb.Tasks.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Mlrb agent.</summary>
public static class MlrbAgentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IResearchAgent"/> with validated <see cref="MlrbAgentsOptions"/> (checked at start-up), the provider
    /// client factory and <see cref="TimeProvider.System"/> unless a clock is already registered.
    /// The host must register an <see cref="IRunStore"/>.
    /// </summary>
    /// <remarks>
    /// Each role's chat client is, in this order: the one <see cref="MlrbAgentsOptions.ChatClients"/> gives (see
    /// <see cref="AddMlrbAgentChatClients"/>), an <see cref="IChatClient"/> registered with the role as its key
    /// (<c>services.AddKeyedSingleton&lt;IChatClient&gt;(AgentRole.Worker, client)</c>), or the built-in provider that
    /// <see cref="MlrbAgentsOptions.Planner"/> or <see cref="MlrbAgentsOptions.Worker"/> names. The agent never disposes a client it did not create.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddMlrbAgents(this IServiceCollection services, Action<MlrbAgentsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<MlrbAgentsOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MlrbAgentsOptions>, MlrbAgentsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IChatClientFactory>(_ => new ChatClientFactory());
        services.TryAddTransient<IResearchAgent>(sp => new ResearchAgent(
            sp.GetRequiredService<IOptions<MlrbAgentsOptions>>().Value,
            sp.GetRequiredService<IRunStore>(),
            sp.GetRequiredService<IChatClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ResearchAgent>>(),
            role => sp.GetKeyedService<IChatClient>(role)));
        return services;
    }

    /// <summary>
    /// Chooses each role's chat client from the container, e.g. <c>(sp, role) =&gt; sp.GetRequiredService&lt;IChatClient&gt;()</c>
    /// to use the client <c>services.AddChatClient(...)</c> registered. A null answer leaves that role to a keyed
    /// registration or its built-in provider. Call it with <see cref="AddMlrbAgents"/>, in either order.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="select">Gives the client of a role.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddMlrbAgentChatClients(this IServiceCollection services, Func<IServiceProvider, AgentRole, IChatClient?> select)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(select);
        services.AddOptions<MlrbAgentsOptions>().Configure<IServiceProvider>((options, provider) => options.UseChatClient(role => select(provider, role)));
        return services;
    }
}
