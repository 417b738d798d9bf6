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
