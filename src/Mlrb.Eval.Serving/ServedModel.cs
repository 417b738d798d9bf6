using System.Text.Json.Nodes;
using Mlrb.Eval.Chat;
using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Serving;

/// <summary>The model behind the endpoints: its generator, chat template and id, and the in-flight request count.</summary>
internal sealed class ServedModel(ITextGenerator generator, ChatTemplate? chatTemplate, string id, OpenAiServerOptions options)
{
    private int _inFlight;

    public ITextGenerator Generator { get; } = generator;

    public ChatTemplate? ChatTemplate { get; } = chatTemplate;

    public string Id { get; } = id;

    public OpenAiServerOptions Options { get; } = options;

    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Requests being served now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a request in; refuses it with 429 when the server is at its limit.</summary>
    public Lease Enter()
    {
        if (Interlocked.Increment(ref _inFlight) > Options.MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref _inFlight);
            throw new ApiException(429, $"The server is serving its limit of {Options.MaxConcurrentRequests} concurrent requests; retry later.", code: "rate_limit_exceeded");
        }

        return new Lease(this);
    }

    /// <summary>A request naming another model gets 404, as OpenAI answers; a request naming none is served.</summary>
    public void CheckModel(JsonObject body)
    {
        var model = JsonFields.String(body, "model");
        if (model is not null && !string.Equals(model, Id, StringComparison.Ordinal))
        {
            throw new ApiException(404, $"The model '{model}' does not exist on this server; it serves '{Id}'.", "model", "model_not_found");
        }
    }

    public JsonObject Describe() => new()
    {
        ["id"] = Id,
        ["object"] = "model",
        ["created"] = Created,
        ["owned_by"] = "mlrb",
        ["max_model_len"] = Generator.MaxLength,
        ["capabilities"] = new JsonObject
        {
            ["completions"] = true,
            ["chat"] = ChatTemplate is not null && Generator.Tokenizer is not null,
            ["tools"] = ChatTemplate is { SupportsTools: true } && Generator.Tokenizer is not null,
        },
    };

    /// <summary>Releases a request's slot.</summary>
    internal sealed class Lease(ServedModel model) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref model._inFlight);
            }
        }
    }
}
