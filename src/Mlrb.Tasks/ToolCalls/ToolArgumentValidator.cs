using System.Globalization;
using System.Text.Json;

namespace Mlrb.Tasks.ToolCalls;

/// <summary>
/// Checks a tool call's arguments against the tool's JSON schema and names every problem the way a model can act on
/// (<c>'filepath' must be a string, not a number</c>). The one validator the tools and the agent share.
/// </summary>
/// <remarks>
/// Supports the schema subset tools use: <c>type</c> (a name or a list), <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c> (<c>false</c> or a schema), <c>enum</c>, <c>items</c>, <c>minimum</c>/<c>maximum</c>,
/// <c>minLength</c>/<c>maxLength</c>. Other keywords are ignored, so a schema it does not understand never rejects a call.
/// An explicit <c>null</c> for an optional property counts as absent unless the property's type allows null.
/// </remarks>
public static class ToolArgumentValidator
{
    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement;

    /// <summary>Validates <paramref name="arguments"/> against <paramref name="schema"/>.</summary>
    /// <param name="schema">The tool's JSON schema (an object schema).</param>
    /// <param name="arguments">The arguments the model sent; an absent or null value counts as <c>{}</c>.</param>
    /// <returns>One message per problem, each naming the argument; empty when the arguments are valid.</returns>
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement arguments)
    {
        if (arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            arguments = JsonDocument.Parse("{}").RootElement;
        }

        var problems = new List<string>();
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"the arguments must be a JSON object, not {Describe(arguments.ValueKind)}");
            return problems;
        }

        Check(schema, arguments, "", problems);
        return problems;
    }

    /// <summary>Validates and describes the result in one sentence for the model.</summary>
    /// <param name="toolName">The tool's name, which starts the message.</param>
    /// <param name="schema">The tool's JSON schema.</param>
    /// <param name="arguments">The arguments the model sent.</param>
    /// <returns>Null when valid, else <c>"{tool}: invalid arguments: problem; problem."</c>.</returns>
    public static string? Describe(string toolName, JsonElement schema, JsonElement arguments)
    {
        var problems = Validate(schema, arguments);
        return problems.Count == 0 ? null : $"{toolName}: invalid arguments: {string.Join("; ", problems)}.";
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var type = schema.TryGetProperty("type", out var t) ? t : default;
        if (type.ValueKind != JsonValueKind.Undefined && !MatchesType(type, value))
        {
            problems.Add($"{Name(path)} must be {DescribeType(type)}, not {Describe(value.ValueKind)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            problems.Add($"{Name(path)} must be one of {string.Join(", ", allowed.EnumerateArray().Select(Literal))}, not {Literal(value)}");
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, path, problems);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(items, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), problems);
                }

                break;
            case JsonValueKind.Number:
                CheckRange(schema, value, path, problems);
                break;
            case JsonValueKind.String:
                CheckLength(schema, value.GetString()!, path, problems);
                break;
        }
    }

    private static void CheckObject(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        foreach (var property in value.EnumerateObject())
        {
            var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                if (property.Value.ValueKind == JsonValueKind.Null && !AllowsNull(propertySchema))
                {
                    continue; // An explicit null for an optional property is treated as absent (required is checked below).
                }

                Check(propertySchema, property.Value, childPath, problems);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                var names = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(n => n.Name).ToList() : [];
                problems.Add(names.Count == 0
                    ? $"unknown argument '{childPath}' (this object takes none)"
                    : $"unknown argument '{childPath}' (allowed: {string.Join(", ", names)})");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, property.Value, childPath, problems);
            }
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out var present) || present.ValueKind == JsonValueKind.Null)
                {
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    var kind = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var s)
                        && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("type", out var st)
                        ? $" ({DescribeType(st)})"
                        : "";
                    problems.Add($"missing required argument '{childPath}'{kind}");
                }
            }
        }
    }

    private static void CheckRange(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        var number = value.GetDouble();
        var min = schema.TryGetProperty("minimum", out var mn) && mn.ValueKind == JsonValueKind.Number ? mn : default;
        var max = schema.TryGetProperty("maximum", out var mx) && mx.ValueKind == JsonValueKind.Number ? mx : default;
        var belowMin = min.ValueKind == JsonValueKind.Number && number < min.GetDouble();
        var aboveMax = max.ValueKind == JsonValueKind.Number && number > max.GetDouble();
        if (!belowMin && !aboveMax)
        {
            return;
        }

        if (min.ValueKind == JsonValueKind.Number && max.ValueKind == JsonValueKind.Number)
        {
            problems.Add($"{Name(path)} must be between {min.GetRawText()} and {max.GetRawText()}, not {value.GetRawText()}");
        }
        else if (belowMin)
        {
            problems.Add($"{Name(path)} must be at least {min.GetRawText()}, not {value.GetRawText()}");
        }
        else
        {
            problems.Add($"{Name(path)} must be at most {max.GetRawText()}, not {value.GetRawText()}");
        }
    }

    private static void CheckLength(JsonElement schema, string text, string path, List<string> problems)
    {
        if (schema.TryGetProperty("minLength", out var min) && min.ValueKind == JsonValueKind.Number && text.Length < min.GetInt32())
        {
            problems.Add(min.GetInt32() == 1
                ? $"{Name(path)} must not be empty"
                : string.Create(CultureInfo.InvariantCulture, $"{Name(path)} must have at least {min.GetInt32()} characters, not {text.Length}"));
        }

        if (schema.TryGetProperty("maxLength", out var max) && max.ValueKind == JsonValueKind.Number && text.Length > max.GetInt32())
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(path)} must have at most {max.GetInt32()} characters, not {text.Length}"));
        }
    }

    private static string Name(string path) => path.Length == 0 ? "the arguments" : $"'{path}'";

    private static bool AllowsNull(JsonElement schema)
        => schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) && MatchesType(type, Null);

    private static bool MatchesType(JsonElement type, JsonElement value) => type.ValueKind switch
    {
        JsonValueKind.String => Matches(type.GetString()!, value),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && Matches(t.GetString()!, value)),
        _ => true,
    };

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        _ => true,
    };

    private static bool IsInteger(JsonElement value)
        => value.TryGetInt64(out _) || (double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && Math.Floor(d) == d);

    private static string DescribeType(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => TypeName(type.GetString()!),
        JsonValueKind.Array => JoinOr(type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString() == "boolean" ? "a boolean" : TypeName(t.GetString()!)).ToList()),
        _ => type.GetRawText(),
    };

    private static string JoinOr(List<string> names)
        => names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";

    private static string TypeName(string type) => type switch
    {
        "object" => "an object",
        "array" => "an array",
        "string" => "a string",
        "boolean" => "true or false",
        "null" => "null",
        "number" => "a number",
        "integer" => "an integer",
        _ => type,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Literal(JsonElement value) => value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : value.GetRawText();
}
