using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mlrb.Agents;
using Mlrb.Agents.Providers;
using Mlrb.Agents.Runs;
using Mlrb.Tasks.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Mlrb agent.</summary>
public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IResearchAgent"/> with validated <see cref="AgentOptions"/> (checked at start-up), the provider
    /// client factory and <see cref="TimeProvider.System"/> unless a clock is already registered.
    /// The host must register an <see cref="IRunStore"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The options builder, for more configuration.</returns>
    public static OptionsBuilder<AgentOptions> AddMlrbAgents(this IServiceCollection services, Action<AgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<AgentOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IChatClientFactory>(_ => new ChatClientFactory());
        services.TryAddTransient<IResearchAgent>(sp => new ResearchAgent(
            sp.GetRequiredService<IOptions<AgentOptions>>().Value,
            sp.GetRequiredService<IRunStore>(),
            sp.GetRequiredService<IChatClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ResearchAgent>>()));
        return builder;
    }
}
