using Microsoft.Extensions.AI;

namespace Mlrb.Agents.Providers;

/// <summary>The chat client one role talks to, and how the run names it (<c>provider</c> and <c>model</c> columns).</summary>
/// <param name="Client">The client, without the run's middleware.</param>
/// <param name="Provider">Provider name, e.g. <c>openai</c>, or the custom client's <see cref="ChatClientMetadata.ProviderName"/>.</param>
/// <param name="Model">Model id.</param>
internal sealed record RoleClient(IChatClient Client, string Provider, string Model)
{
    /// <summary><c>provider/model</c>.</summary>
    public string Name => $"{Provider}/{Model}";
}
