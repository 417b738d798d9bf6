using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Core;

/// <summary>
/// The arguments of a tool: emits the JSON schema sent to models; arguments are validated against that same schema by the
/// shared <see cref="ToolArgumentValidator"/>, with messages that name the argument and what was wrong.
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

    /// <summary>Checks <paramref name="arguments"/> against <see cref="Json"/>; returns null when valid, else a readable message.</summary>
    /// <param name="toolName">The tool's name, for the message.</param>
    /// <param name="arguments">The arguments the model sent.</param>
    /// <returns>Null or the problem.</returns>
    public string? Validate(string toolName, JsonElement arguments) => ToolArgumentValidator.Describe(toolName, Json, arguments);

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
                    if (p.NonEmpty)
                    {
                        node["minLength"] = 1;
                    }

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
                    node["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") };
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
