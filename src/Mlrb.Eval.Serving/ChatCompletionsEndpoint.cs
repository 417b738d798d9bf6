using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Mlrb.Eval.Chat;
using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Serving;

/// <summary>
/// <c>POST /v1/chat/completions</c>: the messages (and tools) rendered with the model's chat template, generated, and
/// returned as one message or streamed as deltas. With tools, the output is parsed for tool calls.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext http, ServedModel served)
    {
        var ct = http.RequestAborted;
        var body = await JsonFields.ReadBodyAsync(http.Request.Body, ct).ConfigureAwait(false);
        served.CheckModel(body);
        var template = served.ChatTemplate ?? throw ApiException.BadRequest(
            "This model has no chat template (no 'chat_template' in its tokenizer_config.json, nor a chat_template.jinja): use /v1/completions with a formatted prompt.",
            "messages",
            "chat_template_missing");
        var tokenizer = served.Generator.Tokenizer ?? throw ApiException.BadRequest("This model folder has no tokenizer.", "messages");
        var sampling = SamplingFields.Read(body, served.Options.MaxChoicesPerRequest);
        var messages = ReadMessages(body);
        var tools = ReadTools(body, template);
        var logprobs = JsonFields.Bool(body, "logprobs", false) ? JsonFields.Integer(body, "top_logprobs", 0, 20) ?? 0 : (int?)null;

        string prompt;
        try
        {
            prompt = template.Render(messages, addGenerationPrompt: true, tools);
        }
        catch (ChatTemplateException ex)
        {
            throw ApiException.BadRequest($"The chat template could not render these messages: {ex.Message}", "messages", "chat_template_error");
        }

        var tokens = tokenizer.Encode(prompt, addSpecialTokens: false).ToArray();
        if (tokens.Length == 0)
        {
            throw ApiException.BadRequest("The rendered chat prompt encodes to no tokens.", "messages");
        }

        var room = SamplingFields.Room(served.Generator, tokens.Length);
        var maxTokens = JsonFields.Integer(body, "max_completion_tokens", 0, int.MaxValue)
            ?? JsonFields.Integer(body, "max_tokens", 0, int.MaxValue)
            ?? Math.Max(room, 0);
        SamplingFields.CheckContext(served.Generator, tokens.Length, Math.Max(maxTokens, 1), "messages");

        var id = Ids.New("chatcmpl-");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var requests = Enumerable.Range(0, sampling.N).Select(j => new GenerationRequest(tokens, sampling.ForChoice(j, maxTokens, logprobs))).ToList();
        if (sampling.Stream && tools is null)
        {
            await StreamAsync(http, served, id, created, requests, tokens.Length, logprobs, sampling.IncludeUsage, ct).ConfigureAwait(false);
            return;
        }

        var results = await served.Generator.GenerateAsync(requests, cancellationToken: ct).ConfigureAwait(false);
        var choices = new JsonArray();
        for (var j = 0; j < results.Count; j++)
        {
            var r = results[j];
            var message = new JsonObject { ["role"] = "assistant", ["content"] = r.Text };
            var finish = Ids.FinishReason(r.FinishReason);
            if (tools is not null && ToolCallParser.Parse(r.Text) is { Calls.Count: > 0 } parsed)
            {
                message["content"] = parsed.Content.Length == 0 ? null : parsed.Content;
                message["tool_calls"] = new JsonArray([.. parsed.Calls.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = Ids.New("call_"),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
                })]);
                finish = "tool_calls";
            }

            choices.Add(new JsonObject
            {
                ["index"] = j,
                ["message"] = message,
                ["logprobs"] = logprobs is { } top ? LogprobsJson.Chat(r.Logprobs!, top) : null,
                ["finish_reason"] = finish,
            });
        }

        var usage = CompletionsEndpoint.Usage(tokens.Length, results.Sum(r => r.TokenIds.Count));
        if (sampling.Stream)
        {
            // With tools the whole output is parsed before anything is sent; it is then streamed as one delta per choice.
            Sse.Start(http.Response);
            foreach (var choice in choices.Cast<JsonObject>())
            {
                var delta = (JsonObject)choice["message"]!.DeepClone();
                if (delta["tool_calls"] is JsonArray calls)
                {
                    for (var k = 0; k < calls.Count; k++)
                    {
                        calls[k]!["index"] = k;
                    }
                }

                await Sse.WriteAsync(http.Response, Chunk(id, created, served.Id, (int)choice["index"]!, delta, null, choice["logprobs"]?.DeepClone()), ct).ConfigureAwait(false);
                await Sse.WriteAsync(http.Response, Chunk(id, created, served.Id, (int)choice["index"]!, [], (string?)choice["finish_reason"], null), ct).ConfigureAwait(false);
            }

            if (sampling.IncludeUsage)
            {
                await Sse.WriteAsync(http.Response, UsageChunk(id, created, served.Id, usage), ct).ConfigureAwait(false);
            }

            await Sse.DoneAsync(http.Response, ct).ConfigureAwait(false);
            return;
        }

        await CompletionsEndpoint.WriteJsonAsync(http.Response, 200, new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = served.Id,
            ["choices"] = choices,
            ["usage"] = usage,
        }, ct).ConfigureAwait(false);
    }

    private static async Task StreamAsync(
        HttpContext http, ServedModel served, string id, long created, List<GenerationRequest> requests, int promptTokens, int? logprobs, bool includeUsage, CancellationToken ct)
    {
        Sse.Start(http.Response);
        var completion = 0;
        for (var j = 0; j < requests.Count; j++)
        {
            await Sse.WriteAsync(http.Response, Chunk(id, created, served.Id, j, new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null, null), ct).ConfigureAwait(false);
            try
            {
                await foreach (var u in served.Generator.GenerateStreamingAsync(requests[j], ct).ConfigureAwait(false))
                {
                    var lp = logprobs is { } top && u.Logprob is { } l ? LogprobsJson.Chat([l], top) : null;
                    if (u.Text.Length > 0 || lp is not null)
                    {
                        await Sse.WriteAsync(http.Response, Chunk(id, created, served.Id, j, new JsonObject { ["content"] = u.Text }, null, lp), ct).ConfigureAwait(false);
                    }

                    if (u.Result is { } r)
                    {
                        completion += r.TokenIds.Count;
                        await Sse.WriteAsync(http.Response, Chunk(id, created, served.Id, j, [], Ids.FinishReason(r.FinishReason), null), ct).ConfigureAwait(false);
                    }
                }
            }
            catch (ArgumentException ex)
            {
                await Sse.WriteAsync(http.Response, ApiException.Body(ex.Message, "invalid_request_error", null, null), ct).ConfigureAwait(false);
                await Sse.DoneAsync(http.Response, ct).ConfigureAwait(false);
                return;
            }
        }

        if (includeUsage)
        {
            await Sse.WriteAsync(http.Response, UsageChunk(id, created, served.Id, CompletionsEndpoint.Usage(promptTokens, completion)), ct).ConfigureAwait(false);
        }

        await Sse.DoneAsync(http.Response, ct).ConfigureAwait(false);
    }

    private static JsonObject Chunk(string id, long created, string model, int index, JsonObject delta, string? finish, JsonNode? logprobs) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = logprobs, ["finish_reason"] = finish }),
    };

    private static JsonObject UsageChunk(string id, long created, string model, JsonObject usage) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new JsonArray(),
        ["usage"] = usage,
    };

    /// <summary>
    /// <c>messages</c> as the template sees them: content parts joined into one string (templates index strings), tool
    /// calls' <c>arguments</c> parsed from their JSON string into an object (as templates expect, and vLLM does).
    /// </summary>
    private static JsonArray ReadMessages(JsonObject body)
    {
        if (body["messages"] is not JsonArray { Count: > 0 } input)
        {
            throw ApiException.BadRequest("'messages' must be a non-empty list.", "messages");
        }

        var messages = new JsonArray();
        for (var i = 0; i < input.Count; i++)
        {
            if (input[i] is not JsonObject m || JsonFields.String(m, "role") is not { Length: > 0 })
            {
                throw ApiException.BadRequest($"messages[{i}] must be an object with a 'role'.", $"messages[{i}]");
            }

            var copy = (JsonObject)m.DeepClone();
            copy["content"] = m["content"] switch
            {
                null => m["tool_calls"] is null ? string.Empty : null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonArray parts => JoinParts(parts, i),
                _ => throw ApiException.BadRequest($"messages[{i}].content must be a string or a list of content parts.", $"messages[{i}].content"),
            };
            if (copy["tool_calls"] is JsonArray calls)
            {
                foreach (var call in calls.OfType<JsonObject>())
                {
                    if (call["function"] is JsonObject f && f["arguments"] is JsonValue a && a.GetValueKind() == JsonValueKind.String)
                    {
                        try
                        {
                            f["arguments"] = JsonNode.Parse(a.GetValue<string>()) ?? new JsonObject();
                        }
                        catch (JsonException)
                        {
                            // Arguments that are not JSON stay a string.
                        }
                    }
                }
            }

            messages.Add(copy);
        }

        return messages;
    }

    private static string JoinParts(JsonArray parts, int i)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is not JsonObject p || JsonFields.String(p, "type") != "text")
            {
                throw ApiException.BadRequest($"messages[{i}].content: only 'text' parts are supported by this server.", $"messages[{i}].content");
            }

            text.Append(JsonFields.String(p, "text"));
        }

        return text.ToString();
    }

    private static JsonArray? ReadTools(JsonObject body, ChatTemplate template)
    {
        // tool_choice: "none" sends no tools; "auto", "required" and {"type": "function", ...} send them all (the model is not constrained).
        var noTools = body["tool_choice"] is JsonValue choice && choice.GetValueKind() == JsonValueKind.String && choice.GetValue<string>() == "none";
        if (body["tools"] is not JsonArray { Count: > 0 } tools || noTools)
        {
            return null;
        }

        if (!template.SupportsTools)
        {
            throw ApiException.BadRequest(
                "This model's chat template has no tool support (it never reads 'tools'): tool calling is not available with this model.",
                "tools",
                "tools_not_supported");
        }

        return (JsonArray)tools.DeepClone();
    }
}
