using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Serving;

/// <summary>Log-probabilities in the two OpenAI shapes: completions' parallel lists and chat's <c>content</c> entries.</summary>
internal static class LogprobsJson
{
    /// <summary>
    /// Completions' <c>logprobs</c>: <c>tokens</c>, <c>token_logprobs</c>, <c>top_logprobs</c> (token text → log-probability,
    /// most likely first; null where there is no entry, as for an echoed prompt's first token) and <c>text_offset</c>.
    /// </summary>
    public static JsonObject Completion(IReadOnlyList<(string Token, TokenLogprob? Logprob)> entries, int top, int startOffset)
    {
        var tokens = new JsonArray();
        var values = new JsonArray();
        var tops = new JsonArray();
        var offsets = new JsonArray();
        var offset = startOffset;
        foreach (var (token, logprob) in entries)
        {
            tokens.Add(token);
            offsets.Add(offset);
            offset += token.Length;
            values.Add(logprob is null ? null : JsonValue.Create(logprob.Logprob));
            if (logprob is null)
            {
                tops.Add(null);
                continue;
            }

            var dict = new JsonObject();
            foreach (var alt in logprob.TopLogprobs.Take(top))
            {
                // Token texts can collide (two ids decoding alike); the more likely one, met first, is kept.
                dict.TryAdd(alt.Token, alt.Logprob);
            }

            tops.Add(dict);
        }

        return new JsonObject { ["tokens"] = tokens, ["token_logprobs"] = values, ["top_logprobs"] = tops, ["text_offset"] = offsets };
    }

    /// <summary>Chat's <c>logprobs</c>: <c>{"content": [{token, logprob, bytes, top_logprobs: [...]}]}</c>.</summary>
    public static JsonObject Chat(IEnumerable<TokenLogprob> logprobs, int top)
    {
        var content = new JsonArray();
        foreach (var l in logprobs)
        {
            var alternatives = new JsonArray();
            foreach (var alt in l.TopLogprobs.Take(top))
            {
                alternatives.Add(new JsonObject { ["token"] = alt.Token, ["logprob"] = alt.Logprob, ["bytes"] = Bytes(alt.Token) });
            }

            content.Add(new JsonObject { ["token"] = l.Token, ["logprob"] = l.Logprob, ["bytes"] = Bytes(l.Token), ["top_logprobs"] = alternatives });
        }

        return new JsonObject { ["content"] = content };
    }

    private static JsonArray Bytes(string token) => new([.. Encoding.UTF8.GetBytes(token).Select(b => (JsonNode?)JsonValue.Create((int)b))]);
}
