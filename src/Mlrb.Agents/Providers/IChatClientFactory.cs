using Microsoft.Extensions.AI;

namespace Mlrb.Agents.Providers;

/// <summary>Creates the bare provider client for a role's <see cref="ModelOptions"/>.</summary>
internal interface IChatClientFactory
{
    /// <summary>Creates a client; keys come from the options or the environment.</summary>
    /// <param name="options">Provider, model, endpoint and key.</param>
    /// <returns>The client (without middleware).</returns>
    IChatClient Create(ModelOptions options);
}
