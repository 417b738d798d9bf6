using System.Globalization;
using System.Text.Json;
using Mlrb.Tasks.Runs;

namespace Mlrb.Agents.ToolLoop;

/// <summary>
/// Turns a <c>return_fn</c> call into a typed <see cref="Submission"/>: from the tool's result when it carries one
/// (<c>{"submission": {"metrics":..., "modelPath":...}}</c>), else from the call's arguments
/// (<c>model_path</c>, <c>metrics</c> object, <c>submission</c> text or JSON).
/// </summary>
internal static class SubmissionParser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Builds the submission.</summary>
    /// <param name="arguments">The call's arguments as JSON.</param>
    /// <param name="toolResult">The tool's result as JSON, when a tool ran.</param>
    /// <param name="error">Why no submission could be built.</param>
    /// <returns>The submission or null.</returns>
    public static Submission? TryParse(JsonElement arguments, JsonElement? toolResult, out string? error)
    {
        error = null;
        if (toolResult is { ValueKind: JsonValueKind.Object } result)
        {
            // Either the Submission itself (the Mlrb return_fn's AIFunction) or a ToolResult carrying one.
            var candidate = TryGet(result, out var nested, "submission", "Submission") && nested.ValueKind == JsonValueKind.Object ? nested : result;
            if (TryGet(candidate, out var path, "modelPath", "ModelPath") && path.ValueKind == JsonValueKind.String
                && candidate.Deserialize<Submission>(Json) is { } typed)
            {
                return typed;
            }
        }

        if (arguments.ValueKind != JsonValueKind.Object)
        {
            error = "return_fn needs an object with model_path and metrics.";
            return null;
        }

        if (!TryGet(arguments, out var modelPath, "model_path", "modelPath") || modelPath.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(modelPath.GetString()))
        {
            error = "return_fn needs model_path: the path of the saved model inside the workspace.";
            return null;
        }

        var metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        string? summary = null;
        if (TryGet(arguments, out var m, "metrics") && m.ValueKind == JsonValueKind.Object)
        {
            AddMetrics(metrics, m);
        }

        if (TryGet(arguments, out var submission, "submission", "summary"))
        {
            if (submission.ValueKind == JsonValueKind.Object)
            {
                AddMetrics(metrics, submission);
            }
            else if (submission.ValueKind == JsonValueKind.String)
            {
                var text = submission.GetString() ?? "";
                if (TryParseObject(text) is { } parsed)
                {
                    AddMetrics(metrics, parsed);
                }
                else
                {
                    summary = text;
                }
            }
        }

        return new Submission { Metrics = metrics, ModelPath = modelPath.GetString()!, Summary = summary };
    }

    private static JsonElement? TryParseObject(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void AddMetrics(Dictionary<string, string> metrics, JsonElement element)
    {
        foreach (var property in element.EnumerateObject())
        {
            metrics[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number => property.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                _ => property.Value.GetRawText(),
            };
        }
    }

    private static bool TryGet(JsonElement element, out JsonElement value, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out value))
            {
                return true;
            }
        }

        value = default;
        return false;
    }
}
