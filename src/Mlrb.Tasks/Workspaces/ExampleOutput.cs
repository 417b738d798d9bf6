using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Tasks.Workspaces;

/// <summary>
/// The task's example output file (the paper's §4 lists it among the agent's inputs): the JSON shape of the expected
/// submission, i.e. the arguments of <c>return_fn</c> with the task's metric names and placeholder values, plus what the
/// submitted model folder must hold and how it is scored. Derived from the task record, so custom tasks get one too.
/// </summary>
internal static class ExampleOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The example for <paramref name="task"/>, as indented JSON.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The file's text (ends with a newline).</returns>
    public static string Render(ResearchTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var metrics = new JsonObject();
        foreach (var benchmark in task.Evaluation.Benchmarks)
        {
            var name = string.Equals(benchmark.Name, benchmark.Metric, StringComparison.OrdinalIgnoreCase) ? benchmark.Name : benchmark.Name + "_" + benchmark.Metric;
            metrics[name] = 0.0;
        }

        var model = new JsonObject
        {
            ["format"] = "A Hugging Face model folder inside the working directory: config.json, the weights (*.safetensors or pytorch_model.bin) and the tokenizer files. This folder is what gets scored.",
        };
        if (task.AllowedPrecisions.Count > 0)
        {
            model["allowed_precisions"] = new JsonArray([.. task.AllowedPrecisions.Select(p => (JsonNode)JsonValue.Create(p.ToString().ToUpperInvariant()))]);
        }

        if (task.MaxParameters is { } parameters)
        {
            model["max_parameters"] = parameters;
        }

        if (task.DeviceMemoryLimitGb is { } memory)
        {
            model["device_memory_gb"] = memory;
        }

        if (task.BaseModel is { } baseModel)
        {
            model["base_model"] = baseModel;
        }

        var example = new JsonObject
        {
            ["task"] = task.Name,
            ["about"] = "An example of the final submission. When the task is complete, save your model in the working directory and call return_fn with arguments shaped like \"return_fn\" below (replace the values with your own).",
            ["return_fn"] = new JsonObject
            {
                ["model_path"] = "model",
                ["metrics"] = metrics,
                ["submission"] = "A short summary of what you built and how, with the metrics you measured.",
            },
            ["model_folder"] = model,
            ["scored_by"] = new JsonObject
            {
                ["benchmarks"] = new JsonArray([.. task.Evaluation.Benchmarks.Select(b => (JsonNode)new JsonObject
                {
                    ["name"] = b.Name,
                    ["metric"] = b.Metric,
                    ["shots"] = b.Shots,
                    ["subtasks"] = new JsonArray([.. b.Subtasks.Select(s => (JsonNode)JsonValue.Create(s))]),
                })]),
                ["aggregation"] = task.Evaluation.AggregationFormula.Trim(),
            },
        };
        return example.ToJsonString(Indented) + "\n";
    }
}
