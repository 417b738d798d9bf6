using Microsoft.Extensions.AI;

namespace Mlrb.Agents.Middleware;

/// <summary>
/// Composes middleware around a provider client. The first <see cref="Use"/> becomes the outermost layer.
/// </summary>
internal sealed class ChatClientPipelineBuilder
{
    private readonly IChatClient _inner;
    private readonly List<Func<IChatClient, IChatClient>> _layers = [];

    /// <summary>Starts a pipeline over <paramref name="inner"/>.</summary>
    /// <param name="inner">The provider client.</param>
    public ChatClientPipelineBuilder(IChatClient inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Adds a layer.</summary>
    /// <param name="layer">Wraps the client below it.</param>
    /// <returns>This builder.</returns>
    public ChatClientPipelineBuilder Use(Func<IChatClient, IChatClient> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>Builds the pipeline, applying the layers in reverse so the first added is outermost.</summary>
    /// <returns>The outermost client.</returns>
    public IChatClient Build()
    {
        var client = _inner;
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            client = _layers[i](client) ?? throw new InvalidOperationException($"Pipeline layer {i} returned null.");
        }

        return client;
    }
}
