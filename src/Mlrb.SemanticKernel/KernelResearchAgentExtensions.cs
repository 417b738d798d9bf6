using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Mlrb.Agents;
using Mlrb.Tasks.Storage;

namespace Mlrb.SemanticKernel;

/// <summary>Drives the Mlrb research agent with a Semantic Kernel <see cref="Kernel"/>'s chat services.</summary>
public static class KernelResearchAgentExtensions
{
    /// <summary>
    /// Makes the planner and the workers talk to the kernel's chat services (see <see cref="KernelChatClients.Resolve"/>);
    /// they may be different services, named by service id. The services are looked up now, so a missing one fails here.
    /// </summary>
    /// <param name="builder">The agent builder.</param>
    /// <param name="kernel">The kernel whose services to use.</param>
    /// <param name="plannerServiceId">The planner's service id; null takes the kernel's default chat service.</param>
    /// <param name="workerServiceId">The workers' service id; null takes the kernel's default chat service.</param>
    /// <returns>The builder.</returns>
    public static ResearchAgentBuilder UseKernel(this ResearchAgentBuilder builder, Kernel kernel, string? plannerServiceId = null, string? workerServiceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(kernel);
        return builder
            .UseChatClient(AgentRole.Planner, KernelChatClients.Resolve(kernel, plannerServiceId))
            .UseChatClient(AgentRole.Worker, KernelChatClients.Resolve(kernel, workerServiceId));
    }

    /// <summary>
    /// Creates a research agent on this kernel's chat services, writing every run to <paramref name="store"/>.
    /// </summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="store">The run store (e.g. <c>RunStoreFactory.OpenSqliteAsync</c>).</param>
    /// <param name="configure">Sets budgets and loop limits; null keeps the defaults.</param>
    /// <param name="plannerServiceId">The planner's service id, or null for the default chat service.</param>
    /// <param name="workerServiceId">The workers' service id, or null for the default chat service.</param>
    /// <returns>The agent.</returns>
    public static IResearchAgent CreateResearchAgent(this Kernel kernel, IRunStore store, Action<MlrbAgentsOptions>? configure = null, string? plannerServiceId = null, string? workerServiceId = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var builder = new ResearchAgentBuilder(store).UseKernel(kernel, plannerServiceId, workerServiceId);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        if (kernel.Services.GetService<TimeProvider>() is { } time)
        {
            builder.UseTimeProvider(time);
        }

        return builder.Build();
    }
}
