using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Mlrb.Agents.Providers;

/// <summary>Creates the provider <see cref="IChatClient"/> a <see cref="ModelOptions"/> names.</summary>
internal sealed class ChatClientFactory : IChatClientFactory
{
    private readonly Func<HttpMessageHandler> _handlerFactory;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates the factory.</summary>
    /// <param name="handlerFactory">Creates the innermost HTTP handler (tests pass one; default a pooled sockets handler).</param>
    /// <param name="environment">Reads environment variables for keys (default the process environment).</param>
    public ChatClientFactory(Func<HttpMessageHandler>? handlerFactory = null, Func<string, string?>? environment = null)
    {
        _handlerFactory = handlerFactory ?? (() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <inheritdoc />
    public IChatClient Create(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider == ChatProvider.Replay)
        {
            return Replay.ReplayScript.Load(options.TranscriptPath ?? throw new InvalidOperationException("The replay provider needs a transcript: set TranscriptPath (--transcript FILE).")).AsChatClient();
        }

        var key = ApiKeyResolver.Resolve(options, _environment);
        var http = new HttpClient(new ResponseProbeHandler(_handlerFactory()), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var model = options.ResolveModel();
        switch (options.Provider)
        {
            case ChatProvider.OpenAI:
                if (key is null && options.Endpoint is null)
                {
                    throw new InvalidOperationException("No OpenAI API key: set OPENAI_API_KEY (or OPENAI), or configure ApiKey; a custom --endpoint may run without one.");
                }

                var openAIOptions = new OpenAIClientOptions
                {
                    Endpoint = options.Endpoint,
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = TimeSpan.FromMinutes(30),
                };
                // Microsoft.Extensions.AI.OpenAI's adapter: messages, tools and tool calls, structured output, usage.
                return new OpenAIClient(new ApiKeyCredential(key ?? "no-key"), openAIOptions).GetChatClient(model).AsIChatClient();

            case ChatProvider.Anthropic:
                if (key is null)
                {
                    throw new InvalidOperationException("No Anthropic API key: set ANTHROPIC_API_KEY (or ANTHROPIC), or configure ApiKey.");
                }

                var anthropic = new AnthropicClient
                {
                    ApiKey = key,
                    BaseUrl = (options.Endpoint?.ToString() ?? "https://api.anthropic.com").TrimEnd('/'),
                    HttpClient = http,
                    MaxRetries = 0,
                    Timeout = TimeSpan.FromMinutes(30),
                };
                return anthropic.AsIChatClient(model, options.MaxOutputTokens);

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown provider.");
        }
    }
}
