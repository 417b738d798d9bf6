using System.Text;
using System.Text.Json;
using Mlrb.Tasks.Runs;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Submissions;

/// <summary>
/// <c>return_fn</c>: the run's final answer. Produces a typed <see cref="Submission"/>; the model path must exist
/// inside the workspace. Metrics come from <c>metrics</c>, else from <c>submission</c> when it holds a JSON object
/// or <c>name: value</c> pairs.
/// </summary>
internal sealed class ReturnFnTool(ToolRuntime runtime) : ToolBase(
    "return_fn",
    "Submit the final result of the task: the metrics you measured and the path of the model you saved in the working directory. Use it only when the task is complete; it ends the run.",
    new ToolSchema(
        new ToolParameter("submission", ParameterKind.String, "The metrics of the task and a short summary, e.g. '{\"val_loss\": 3.1, \"accuracy\": 0.52}'.", true),
        new ToolParameter("model_path", ParameterKind.String, "Path to the trained model or artifact, inside the working directory.", true) { NonEmpty = true },
        new ToolParameter("metrics", ParameterKind.StringMap, "Optional: the metrics as name/value pairs, e.g. {\"val_loss\": 3.1}.", false)))
{
    /// <inheritdoc />
    protected override Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var modelPath = arguments.RequiredString("model_path");
        if (!runtime.Guard.TryResolve(modelPath, out var full, out var error))
        {
            return Task.FromResult(Fail($"{Name}: model_path: {error}"));
        }

        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return Task.FromResult(Fail($"{Name}: model_path '{modelPath}' does not exist in the working directory; save the model there first, then call return_fn again."));
        }

        var summary = arguments.RequiredString("submission");
        var metrics = arguments.StringMap("metrics") ?? ParseMetrics(summary);
        var submission = new Submission { Metrics = metrics, ModelPath = full, Summary = summary };
        var text = new StringBuilder("Submission recorded.\nmodel_path: ").Append(runtime.Guard.Relative(full)).Append('\n');
        foreach (var (name, value) in metrics)
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }

        return Task.FromResult(Ok(text.ToString()) with { Submission = submission });
    }

    /// <summary>Reads metrics from a JSON object or from <c>name: value</c> / <c>name=value</c> pairs.</summary>
    /// <param name="text">The submission text.</param>
    /// <returns>The metrics found (possibly none).</returns>
    internal static IReadOnlyDictionary<string, string> ParseMetrics(string text)
    {
        var metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in doc.RootElement.EnumerateObject())
                    {
                        metrics[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                    }

                    return metrics;
                }
            }
            catch (JsonException)
            {
                // Not JSON: fall through to name/value pairs.
            }
        }

        foreach (var part in trimmed.Trim('{', '}').Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = part.IndexOfAny([':', '=']);
            if (at <= 0 || at == part.Length - 1)
            {
                continue;
            }

            var name = part[..at].Trim().Trim('"', '\'');
            var value = part[(at + 1)..].Trim().Trim('"', '\'');
            if (name.Length > 0 && value.Length > 0)
            {
                metrics[name] = value;
            }
        }

        return metrics;
    }
}
