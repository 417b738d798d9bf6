using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Mlrb.SemanticKernel;

/// <summary>Finds a kernel's chat service by service id, as an <see cref="IChatClient"/>.</summary>
public static class KernelChatClients
{
    /// <summary>
    /// The kernel's chat service <paramref name="serviceId"/> as an <see cref="IChatClient"/>: an <see cref="IChatClient"/>
    /// registered under that key, else an <see cref="IChatCompletionService"/> under that key (adapted with
    /// <c>AsChatClient()</c>). A null id takes the kernel's default (unkeyed) service, and else its only chat service.
    /// </summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="serviceId">The service id (the key it was added with, e.g. <c>AddOpenAIChatCompletion(..., serviceId: "planner")</c>), or null.</param>
    /// <returns>The client; it belongs to the kernel, so the agent never disposes it.</returns>
    /// <exception cref="InvalidOperationException">The kernel has no such chat service.</exception>
    public static IChatClient Resolve(Kernel kernel, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var services = kernel.Services;
        if (serviceId is not null)
        {
            return services.GetKeyedService<IChatClient>(serviceId)
                ?? services.GetKeyedService<IChatCompletionService>(serviceId)?.AsChatClient()
                ?? throw new InvalidOperationException($"The kernel has no chat service with the id '{serviceId}' (an IChatClient or IChatCompletionService added with that service id).");
        }

        if (services.GetService<IChatClient>() is { } client)
        {
            return client;
        }

        if (services.GetService<IChatCompletionService>() is { } completion)
        {
            return completion.AsChatClient();
        }

        var all = kernel.GetAllServices<IChatCompletionService>().ToList();
        return all.Count == 1
            ? all[0].AsChatClient()
            : throw new InvalidOperationException(all.Count == 0
                ? "The kernel has no chat service: add an IChatClient or IChatCompletionService (e.g. AddOpenAIChatCompletion)."
                : $"The kernel has {all.Count} chat services and no default one: name the one to use by its service id.");
    }
}
