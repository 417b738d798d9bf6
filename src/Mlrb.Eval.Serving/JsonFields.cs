using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Eval.Serving;

/// <summary>Typed reads of request fields with OpenAI-style 400 errors naming the field.</summary>
internal static class JsonFields
{
    public static async Task<JsonObject> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (ex.StatusCode == 413)
        {
            throw new ApiException(413, "The request body is larger than this server accepts.", code: "request_too_large");
        }

        return node as JsonObject ?? throw ApiException.BadRequest("The request body must be a JSON object.");
    }

    public static bool Bool(JsonObject o, string name, bool fallback)
        => o[name] switch
        {
            null => fallback,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            _ => throw ApiException.BadRequest($"'{name}' must be a boolean.", name),
        };

    public static double? Number(JsonObject o, string name, double min, double max)
    {
        if (o[name] is null)
        {
            return null;
        }

        if (o[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            throw ApiException.BadRequest($"'{name}' must be a number.", name);
        }

        var value = v.GetValue<double>();
        if (double.IsNaN(value) || value < min || value > max)
        {
            throw ApiException.BadRequest($"'{name}' must be in [{min}, {max}], found {value}.", name);
        }

        return value;
    }

    public static int? Integer(JsonObject o, string name, long min, long max)
    {
        var value = Long(o, name, min, max);
        return value is null ? null : (int)value.Value;
    }

    public static long? Long(JsonObject o, string name, long min, long max)
    {
        if (o[name] is null)
        {
            return null;
        }

        if (o[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out var value))
        {
            // JSON numbers like 5.0 are integers too.
            if (o[name] is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.GetValue<double>() is var x && x == Math.Floor(x) && Math.Abs(x) < 9e15)
            {
                value = (long)x;
            }
            else
            {
                throw ApiException.BadRequest($"'{name}' must be an integer.", name);
            }
        }

        if (value < min || value > max)
        {
            throw ApiException.BadRequest($"'{name}' must be in [{min}, {max}], found {value}.", name);
        }

        return value;
    }

    public static string? String(JsonObject o, string name)
        => o[name] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw ApiException.BadRequest($"'{name}' must be a string.", name),
        };

    /// <summary><c>stop</c>: null, one string, or a list of strings (empty strings are ignored).</summary>
    public static IReadOnlyList<string> Stop(JsonObject o)
    {
        switch (o["stop"])
        {
            case null:
                return [];
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var one = v.GetValue<string>();
                return one.Length == 0 ? [] : [one];
            case JsonArray a:
                var list = new List<string>();
                foreach (var item in a)
                {
                    if (item is not JsonValue s || s.GetValueKind() != JsonValueKind.String)
                    {
                        throw ApiException.BadRequest("'stop' must be a string or a list of strings.", "stop");
                    }

                    if (s.GetValue<string>() is { Length: > 0 } text)
                    {
                        list.Add(text);
                    }
                }

                return list;
            default:
                throw ApiException.BadRequest("'stop' must be a string or a list of strings.", "stop");
        }
    }

    /// <summary>Refuses sampling controls the engine does not implement, rather than silently ignoring them.</summary>
    public static void RefuseUnsupported(JsonObject o)
    {
        foreach (var name in new[] { "presence_penalty", "frequency_penalty" })
        {
            if (Number(o, name, -2, 2) is { } value && value != 0)
            {
                throw ApiException.BadRequest($"'{name}' is not supported by this server (only 0).", name);
            }
        }

        if (o["logit_bias"] is JsonObject bias && bias.Count > 0)
        {
            throw ApiException.BadRequest("'logit_bias' is not supported by this server.", "logit_bias");
        }
    }
}
