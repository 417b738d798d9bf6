using Microsoft.Extensions.AI;

namespace Mlrb.Agents.Providers;

/// <summary>
/// A caller's own chat client inside a run's pipeline: the run's middleware disposes its inner client when the run
/// ends, and this layer stops that from reaching a client the agent does not own (a DI singleton, a kernel's service).
/// </summary>
/// <param name="inner">The caller's client.</param>
internal sealed class BorrowedChatClient(IChatClient inner) : IChatClient
{
    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => inner.GetResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => inner.GetStreamingResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : inner.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The owner disposes the client.
    }
}
