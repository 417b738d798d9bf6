using Microsoft.Extensions.AI;
using Mlrb.Agents.Budgets;

namespace Mlrb.Agents.Middleware;

/// <summary>Adds each response's API-reported usage (and its priced cost) to the run's <see cref="UsageMeter"/>.</summary>
internal sealed class UsageChatClient : DelegatingChatClient
{
    private readonly UsageMeter _meter;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The next client.</param>
    /// <param name="meter">The run's meter.</param>
    public UsageChatClient(IChatClient inner, UsageMeter meter)
        : base(inner) => _meter = meter;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        _meter.Add(response.ModelId ?? options?.ModelId ?? InnerClient.GetService<ChatClientMetadata>()?.DefaultModelId, response.Usage);
        return response;
    }
}
