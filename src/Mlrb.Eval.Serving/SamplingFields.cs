using System.Text.Json.Nodes;
using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Serving;

/// <summary>The sampling fields completions and chat share, read into <see cref="GenerationOptions"/>.</summary>
internal sealed record SamplingFields(GenerationOptions Options, int N, bool Stream, bool IncludeUsage, long? Seed)
{
    /// <summary>Reads <c>temperature</c> (default 1, as OpenAI), <c>top_p</c>, <c>top_k</c> (0 or -1: off), <c>seed</c>, <c>stop</c>, <c>n</c>, <c>stream</c>.</summary>
    public static SamplingFields Read(JsonObject body, int maxChoices)
    {
        JsonFields.RefuseUnsupported(body);
        var temperature = JsonFields.Number(body, "temperature", 0, 2) ?? 1.0;
        var topP = JsonFields.Number(body, "top_p", 0, 1) ?? 1.0;
        if (topP == 0)
        {
            throw ApiException.BadRequest("'top_p' must be above 0.", "top_p");
        }

        var topK = JsonFields.Integer(body, "top_k", -1, int.MaxValue) ?? 0;
        var n = JsonFields.Integer(body, "n", 1, maxChoices) ?? 1;
        var seed = JsonFields.Long(body, "seed", long.MinValue, long.MaxValue);
        var stream = JsonFields.Bool(body, "stream", false);
        var includeUsage = body["stream_options"] is JsonObject so && JsonFields.Bool(so, "include_usage", false);
        var options = new GenerationOptions
        {
            Temperature = temperature,
            TopP = topP,
            TopK = Math.Max(topK, 0),
            StopSequences = JsonFields.Stop(body),
        };
        return new SamplingFields(options, n, stream, includeUsage, seed);
    }

    /// <summary>The options of choice <paramref name="j"/> of <c>n</c>: with a seed, each choice gets its own (seed + j) so they differ yet repeat.</summary>
    public GenerationOptions ForChoice(int j, int maxNewTokens, int? logprobs)
        => Options with { Seed = Seed is { } s ? unchecked(s + j) : null, MaxNewTokens = maxNewTokens, Logprobs = logprobs };

    /// <summary>The most completion tokens after a prompt: the context left, or for an encoder-decoder the decoder's positions after its start token.</summary>
    public static int Room(ITextGenerator generator, int promptTokens)
        => generator.IsEncoderDecoder ? generator.MaxLength - 1 : generator.MaxLength - promptTokens;

    /// <summary>
    /// OpenAI's error when a prompt and its completion do not fit the model: one context for a decoder-only model; for an
    /// encoder-decoder, the encoder's (the prompt) and the decoder's (the completion after its start token) separately.
    /// </summary>
    public static void CheckContext(ITextGenerator generator, int promptTokens, int maxTokens, string param)
    {
        var maxLength = generator.MaxLength;
        if (!generator.IsEncoderDecoder)
        {
            CheckContext(promptTokens, maxTokens, maxLength, param);
        }
        else if (promptTokens > maxLength)
        {
            throw new ApiException(
                400,
                $"This model's encoder reads at most {maxLength} tokens. However, your prompt has {promptTokens} tokens. Please reduce the prompt.",
                param,
                "context_length_exceeded");
        }
        else if (maxTokens > maxLength - 1)
        {
            throw new ApiException(
                400,
                $"This model's decoder produces at most {maxLength - 1} tokens. However, you requested {maxTokens} tokens for the completion. Please reduce the completion length.",
                "max_tokens",
                "context_length_exceeded");
        }
    }

    /// <summary>OpenAI's error when a prompt and its completion do not fit the context.</summary>
    public static void CheckContext(int promptTokens, int maxTokens, int maxLength, string param)
    {
        if (promptTokens + maxTokens > maxLength)
        {
            throw new ApiException(
                400,
                $"This model's maximum context length is {maxLength} tokens. However, you requested {promptTokens + maxTokens} tokens ({promptTokens} in the prompt, {maxTokens} for the completion). Please reduce the prompt or the completion length.",
                param,
                "context_length_exceeded");
        }
    }
}
