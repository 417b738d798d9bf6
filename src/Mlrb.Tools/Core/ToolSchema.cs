using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Tools.Core;

/// <summary>
/// The arguments of a tool: emits the JSON schema sent to models and validates the arguments a model sends
/// against the same definition, with messages that name the argument and what was wrong.
/// </summary>
internal sealed class ToolSchema
{
    private readonly List<ToolParameter> _parameters;

    /// <summary>Creates the schema from its parameters.</summary>
    /// <param name="parameters">The parameters, in the order shown to the model.</param>
    public ToolSchema(params ToolParameter[] parameters)
    {
        _parameters = [.. parameters];
        Json = BuildJson();
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<ToolParameter> Parameters => _parameters;

    /// <summary>The JSON schema (draft 2020-12 subset: type, properties, required, enum, bounds).</summary>
    public JsonElement Json { get; }

    /// <summary>Checks <paramref name="arguments"/>; returns null when valid, else a readable message.</summary>
    /// <param name="toolName">The tool's name, for the message.</param>
    /// <param name="arguments">The arguments the model sent.</param>
    /// <returns>Null or the problem.</returns>
    public string? Validate(string toolName, JsonElement arguments)
    {
        if (arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            arguments = JsonDocument.Parse("{}").RootElement;
        }

        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return $"{toolName}: the arguments must be a JSON object, not {Describe(arguments.ValueKind)}.";
        }

        var problems = new List<string>();
        var known = _parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var property in arguments.EnumerateObject())
        {
            if (!known.ContainsKey(property.Name))
            {
                problems.Add($"unknown argument '{property.Name}' (allowed: {string.Join(", ", _parameters.Select(p => p.Name))})");
            }
        }

        foreach (var parameter in _parameters)
        {
            if (!arguments.TryGetProperty(parameter.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (parameter.Required)
                {
                    problems.Add($"missing required argument '{parameter.Name}' ({DescribeKind(parameter.Kind)})");
                }

                continue;
            }

            var problem = Check(parameter, value);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        return problems.Count == 0 ? null : $"{toolName}: invalid arguments: {string.Join("; ", problems)}.";
    }

    private static string? Check(ToolParameter parameter, JsonElement value)
    {
        var name = parameter.Name;
        switch (parameter.Kind)
        {
            case ParameterKind.String:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return $"'{name}' must be a string, not {Describe(value.ValueKind)}";
                }

                var text = value.GetString()!;
                if (parameter.NonEmpty && text.Length == 0)
                {
                    return $"'{name}' must not be empty";
                }

                if (parameter.AllowedValues is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                {
                    return $"'{name}' must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}, not '{text}'";
                }

                return null;
            case ParameterKind.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
                {
                    return $"'{name}' must be an integer, not {Describe(value.ValueKind)}";
                }

                if (number < parameter.Minimum || number > parameter.Maximum)
                {
                    return string.Create(
                        CultureInfo.InvariantCulture,
                        $"'{name}' must be between {parameter.Minimum} and {parameter.Maximum}, not {number}");
                }

                return null;
            case ParameterKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? null
                    : $"'{name}' must be true or false, not {Describe(value.ValueKind)}";
            case ParameterKind.StringMap:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return $"'{name}' must be an object of name/value pairs, not {Describe(value.ValueKind)}";
                }

                foreach (var entry in value.EnumerateObject())
                {
                    if (entry.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    {
                        return $"'{name}.{entry.Name}' must be a string or a number, not {Describe(entry.Value.ValueKind)}";
                    }
                }

                return null;
            default:
                return $"'{name}' has an unsupported type";
        }
    }

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

    private static string DescribeKind(ParameterKind kind) => kind switch
    {
        ParameterKind.String => "a string",
        ParameterKind.Integer => "an integer",
        ParameterKind.Boolean => "a boolean",
        _ => "an object",
    };

    private JsonElement BuildJson()
    {
        var properties = new JsonObject();
        foreach (var p in _parameters)
        {
            var node = new JsonObject { ["description"] = p.Description };
            switch (p.Kind)
            {
                case ParameterKind.String:
                    node["type"] = "string";
                    if (p.AllowedValues is { } allowed)
                    {
                        node["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode)JsonValue.Create(a))]);
                    }

                    break;
                case ParameterKind.Integer:
                    node["type"] = "integer";
                    if (p.Minimum is { } min)
                    {
                        node["minimum"] = min;
                    }

                    if (p.Maximum is { } max)
                    {
                        node["maximum"] = max;
                    }

                    break;
                case ParameterKind.Boolean:
                    node["type"] = "boolean";
                    break;
                case ParameterKind.StringMap:
                    node["type"] = "object";
                    node["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number") };
                    break;
            }

            properties[p.Name] = node;
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. _parameters.Where(p => p.Required).Select(p => (JsonNode)JsonValue.Create(p.Name))]),
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(schema);
    }
}
