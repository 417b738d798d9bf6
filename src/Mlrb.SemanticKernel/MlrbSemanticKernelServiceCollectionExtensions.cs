using Microsoft.SemanticKernel;
using Mlrb.Agents;
using Mlrb.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Semantic Kernel <see cref="Kernel"/>'s chat services as the Mlrb research agent's chat clients.</summary>
public static class MlrbSemanticKernelServiceCollectionExtensions
{
    /// <summary>
    /// With <c>AddMlrbAgents</c>: the planner and workers use the chat services of the <see cref="Kernel"/> registered
    /// in the container (<c>services.AddKernel()</c>), by service id (see <see cref="KernelChatClients.Resolve"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="plannerServiceId">The planner's service id, or null for the default chat service.</param>
    /// <param name="workerServiceId">The workers' service id, or null for the default chat service.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddMlrbKernelChatClients(this IServiceCollection services, string? plannerServiceId = null, string? workerServiceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddMlrbAgentChatClients((provider, role) => KernelChatClients.Resolve(
            provider.GetRequiredService<Kernel>(),
            role == AgentRole.Planner ? plannerServiceId : workerServiceId));
    }
}
