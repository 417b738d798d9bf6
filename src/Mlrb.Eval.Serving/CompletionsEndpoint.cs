using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Serving;

/// <summary>
/// <c>POST /v1/completions</c>: one prompt or many (text or token ids), <c>n</c> choices each, <c>echo</c> and
/// <c>logprobs</c> (the prompt's own log-probabilities when echoed: how lm-evaluation-harness's <c>local-completions</c>
/// computes log-likelihoods), streaming or not.
/// </summary>
internal static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext http, ServedModel served)
    {
        var ct = http.RequestAborted;
        var body = await JsonFields.ReadBodyAsync(http.Request.Body, ct).ConfigureAwait(false);
        served.CheckModel(body);
        if (JsonFields.String(body, "suffix") is { Length: > 0 })
        {
            throw ApiException.BadRequest("'suffix' is not supported by this server.", "suffix");
        }

        var sampling = SamplingFields.Read(body, served.Options.MaxChoicesPerRequest);
        if (JsonFields.Integer(body, "best_of", 1, served.Options.MaxChoicesPerRequest) is { } bestOf && bestOf != sampling.N)
        {
            throw ApiException.BadRequest("'best_of' other than 'n' is not supported by this server.", "best_of");
        }

        var maxTokens = JsonFields.Integer(body, "max_tokens", 0, int.MaxValue) ?? 16;
        var logprobs = JsonFields.Integer(body, "logprobs", 0, 20);
        var echo = JsonFields.Bool(body, "echo", false);
        if (echo && logprobs is not null && served.Generator.IsEncoderDecoder)
        {
            throw ApiException.BadRequest(
                "'echo' with 'logprobs' returns the log-probabilities of the prompt's own tokens, which an encoder-decoder model does not have: its encoder reads the prompt and its decoder predicts only the completion. Send 'echo' without 'logprobs', or score continuations with `mlrb score`.",
                "echo",
                "unsupported_for_encoder_decoder");
        }

        var prompts = ReadPrompts(body["prompt"], served.Generator);
        if (prompts.Count * sampling.N > served.Options.MaxChoicesPerRequest)
        {
            throw ApiException.BadRequest($"{prompts.Count} prompts × n={sampling.N} exceeds this server's limit of {served.Options.MaxChoicesPerRequest} choices per request.", "n");
        }

        foreach (var p in prompts)
        {
            SamplingFields.CheckContext(served.Generator, p.Tokens.Length, maxTokens, "prompt");
        }

        var id = Ids.New("cmpl-");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var choices = new List<(int Index, PromptInput Prompt, GenerationRequest Request)>();
        for (var i = 0; i < prompts.Count; i++)
        {
            for (var j = 0; j < sampling.N; j++)
            {
                choices.Add((i * sampling.N + j, prompts[i], new GenerationRequest(prompts[i].Tokens, sampling.ForChoice(j, maxTokens, logprobs))));
            }
        }

        // The echoed prompts' log-probabilities: one pass per distinct prompt, in the same engine queue as generation.
        var echoed = new Dictionary<int, IReadOnlyList<TokenLogprob?>>();
        if (echo && logprobs is { } top)
        {
            for (var i = 0; i < prompts.Count; i++)
            {
                echoed[i] = await served.Generator.ScoreTokensAsync(prompts[i].Tokens, Math.Max(top, 1), ct).ConfigureAwait(false);
            }
        }

        if (sampling.Stream)
        {
            await StreamAsync(http, served, id, created, choices, prompts, echoed, echo, logprobs, sampling.IncludeUsage, ct).ConfigureAwait(false);
            return;
        }

        var results = await served.Generator.GenerateAsync([.. choices.Select(c => c.Request)], cancellationToken: ct).ConfigureAwait(false);
        var array = new JsonArray();
        for (var c = 0; c < choices.Count; c++)
        {
            var (index, prompt, _) = choices[c];
            var result = results[c];
            var promptText = echo ? prompt.Text : string.Empty;
            JsonObject? lp = null;
            if (logprobs is { } topN)
            {
                var entries = new List<(string, TokenLogprob?)>();
                if (echo)
                {
                    var scored = echoed[index / sampling.N];
                    for (var t = 0; t < prompt.Tokens.Length; t++)
                    {
                        entries.Add((scored[t]?.Token ?? TokenText(served.Generator, prompt.Tokens[t]), scored[t]));
                    }
                }

                entries.AddRange(result.Logprobs!.Select(l => (l.Token, (TokenLogprob?)l)));
                lp = LogprobsJson.Completion(entries, topN, 0);
            }

            array.Add(new JsonObject
            {
                ["text"] = promptText + result.Text,
                ["index"] = index,
                ["logprobs"] = lp,
                ["finish_reason"] = Ids.FinishReason(result.FinishReason),
            });
        }

        var response = new JsonObject
        {
            ["id"] = id,
            ["object"] = "text_completion",
            ["created"] = created,
            ["model"] = served.Id,
            ["choices"] = array,
            ["usage"] = Usage(prompts.Sum(p => p.Tokens.Length), results.Sum(r => r.TokenIds.Count)),
        };
        await WriteJsonAsync(http.Response, 200, response, ct).ConfigureAwait(false);
    }

    public static JsonObject Usage(int prompt, int completion) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
    };

    public static async Task WriteJsonAsync(HttpResponse response, int status, JsonNode json, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(JsonOutput.Write(json), cancellationToken).ConfigureAwait(false);
    }

    private static async Task StreamAsync(
        HttpContext http, ServedModel served, string id, long created, List<(int Index, PromptInput Prompt, GenerationRequest Request)> choices,
        List<PromptInput> prompts, Dictionary<int, IReadOnlyList<TokenLogprob?>> echoed, bool echo, int? logprobs, bool includeUsage, CancellationToken ct)
    {
        var n = choices.Count / Math.Max(1, prompts.Count);
        JsonObject Chunk(int index, string text, JsonObject? lp, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "text_completion",
            ["created"] = created,
            ["model"] = served.Id,
            ["choices"] = new JsonArray(new JsonObject { ["text"] = text, ["index"] = index, ["logprobs"] = lp, ["finish_reason"] = finish }),
        };

        // Every choice streams into one channel; this loop is the only writer of the response.
        var channel = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var completion = 0;
        var producers = choices.Select(async c =>
        {
            if (echo)
            {
                JsonObject? lp = null;
                if (logprobs is { } top)
                {
                    var scored = echoed[c.Index / n];
                    lp = LogprobsJson.Completion([.. c.Prompt.Tokens.Select((t, k) => (scored[k]?.Token ?? TokenText(served.Generator, t), scored[k]))], top, 0);
                }

                channel.Writer.TryWrite(Chunk(c.Index, c.Prompt.Text, lp, null));
            }

            await foreach (var u in served.Generator.GenerateStreamingAsync(c.Request, stop.Token).ConfigureAwait(false))
            {
                var lp = logprobs is { } top && u.Logprob is { } l ? LogprobsJson.Completion([(l.Token, l)], top, 0) : null;
                if (u.Text.Length > 0 || lp is not null)
                {
                    channel.Writer.TryWrite(Chunk(c.Index, u.Text, lp, null));
                }

                if (u.Result is { } r)
                {
                    Interlocked.Add(ref completion, r.TokenIds.Count);
                    channel.Writer.TryWrite(Chunk(c.Index, string.Empty, null, Ids.FinishReason(r.FinishReason)));
                }
            }
        }).ToList();
        Task all = Task.WhenAll(producers).ContinueWith(t => { channel.Writer.TryComplete(t.Exception?.InnerException); }, TaskScheduler.Default);

        Sse.Start(http.Response);
        try
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await Sse.WriteAsync(http.Response, chunk, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !ct.IsCancellationRequested)
        {
            var status = ex is ArgumentException ? 400 : 500;
            await Sse.WriteAsync(http.Response, ApiException.Body(ex.Message, status == 400 ? "invalid_request_error" : "server_error", null, null), ct).ConfigureAwait(false);
            await Sse.DoneAsync(http.Response, ct).ConfigureAwait(false);
            return;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (includeUsage)
        {
            await Sse.WriteAsync(http.Response, new JsonObject
            {
                ["id"] = id,
                ["object"] = "text_completion",
                ["created"] = created,
                ["model"] = served.Id,
                ["choices"] = new JsonArray(),
                ["usage"] = Usage(prompts.Sum(p => p.Tokens.Length), completion),
            }, ct).ConfigureAwait(false);
        }

        await Sse.DoneAsync(http.Response, ct).ConfigureAwait(false);
    }

    internal static string TokenText(ITextGenerator generator, int id) => generator.Tokenizer?.Decode([id]) ?? string.Empty;

    /// <summary><c>prompt</c>: a string, a list of strings, a list of token ids, or a list of token-id lists.</summary>
    private static List<PromptInput> ReadPrompts(JsonNode? node, ITextGenerator generator)
    {
        switch (node)
        {
            case null:
                throw ApiException.BadRequest("'prompt' is required.", "prompt");
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return [FromText(v.GetValue<string>(), generator)];
            case JsonArray a when a.Count == 0:
                throw ApiException.BadRequest("'prompt' must not be an empty list.", "prompt");
            case JsonArray a when a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.Number):
                return [FromIds(a, generator)];
            case JsonArray a when a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String):
                return [.. a.Select(x => FromText(x!.GetValue<string>(), generator))];
            case JsonArray a when a.All(x => x is JsonArray):
                return [.. a.Select(x => FromIds((JsonArray)x!, generator))];
            default:
                throw ApiException.BadRequest("'prompt' must be a string, a list of strings, a list of token ids or a list of token-id lists.", "prompt");
        }
    }

    private static PromptInput FromText(string text, ITextGenerator generator)
    {
        var tokenizer = generator.Tokenizer ?? throw ApiException.BadRequest("This model folder has no tokenizer: send the prompt as token ids.", "prompt");
        var ids = tokenizer.Encode(text).ToArray();
        if (ids.Length == 0)
        {
            throw ApiException.BadRequest("'prompt' encodes to no tokens.", "prompt");
        }

        return new PromptInput(ids, text);
    }

    private static PromptInput FromIds(JsonArray ids, ITextGenerator generator)
    {
        if (ids.Count == 0)
        {
            throw ApiException.BadRequest("a token-id prompt must not be empty.", "prompt");
        }

        // Ids outside the model's vocabulary are refused by the engine (400).
        var tokens = new int[ids.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (ids[i] is not JsonValue v || !v.TryGetValue<int>(out tokens[i]) || tokens[i] < 0)
            {
                throw ApiException.BadRequest($"'prompt' token {i} is not a valid token id.", "prompt");
            }
        }

        return new PromptInput(tokens, generator.Tokenizer?.Decode(tokens) ?? string.Empty);
    }

    internal sealed record PromptInput(int[] Tokens, string Text);
}
