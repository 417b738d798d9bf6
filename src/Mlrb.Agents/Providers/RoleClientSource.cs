using Microsoft.Extensions.AI;

namespace Mlrb.Agents.Providers;

/// <summary>
/// Picks the chat client of each role: the caller's own (<see cref="MlrbAgentsOptions.ChatClients"/> first, then the host's,
/// e.g. keyed services), else the built-in provider the role's <see cref="ModelOptions"/> names.
/// </summary>
/// <param name="options">The agent options.</param>
/// <param name="builtIn">Creates the built-in provider clients.</param>
/// <param name="host">The host's clients by role (keyed services), or null.</param>
internal sealed class RoleClientSource(MlrbAgentsOptions options, IChatClientFactory builtIn, Func<AgentRole, IChatClient?>? host = null)
{
    /// <summary>Creates the client of <paramref name="role"/>; the caller disposes it (a borrowed client survives that).</summary>
    /// <param name="role">The role.</param>
    /// <returns>The client and its names.</returns>
    public RoleClient Create(AgentRole role)
    {
        var model = role == AgentRole.Planner ? options.Planner : options.Worker;
        var own = options.ChatClients?.Invoke(role) ?? host?.Invoke(role);
        if (own is not null)
        {
            var metadata = own.GetService<ChatClientMetadata>();
            var modelId = !string.IsNullOrWhiteSpace(model.Model) ? model.Model : metadata?.DefaultModelId;
            return new RoleClient(
                new BorrowedChatClient(own),
                string.IsNullOrWhiteSpace(metadata?.ProviderName) ? "custom" : metadata.ProviderName,
                string.IsNullOrWhiteSpace(modelId) ? "custom" : modelId);
        }

        return new RoleClient(builtIn.Create(model), Describe(model.Provider), model.ResolveModel());
    }

    private static string Describe(ChatProvider provider) => provider switch
    {
        ChatProvider.Anthropic => "anthropic",
        ChatProvider.Replay => "replay",
        _ => "openai",
    };
}
