using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mlrb.Agents.ToolLoop;

/// <summary>Tools the agent itself offers: <c>finish_subtask</c>, and <c>return_fn</c> when the tool set has none.</summary>
internal static class BuiltInTools
{
    /// <summary>Ends a worker's subtask with a report for the supervisor.</summary>
    public static AIFunctionDeclaration FinishSubtask { get; } = AIFunctionFactory.CreateDeclaration(
        ToolCallingLoop.FinishToolName,
        "Report that the current subtask is finished (or cannot be finished). The supervisor reads the summary and decides what comes next.",
        Schema("""
            {"type":"object","properties":{
              "summary":{"type":"string","description":"What you did, what you found (numbers, file paths) and what is left."},
              "success":{"type":"boolean","description":"True when the subtask's goal was reached."}},
             "required":["summary","success"]}
            """));

    /// <summary>A declaration-only submission tool, used when the tool set brings no <c>return_fn</c>.</summary>
    /// <param name="name">The tool name.</param>
    /// <returns>The declaration.</returns>
    public static AIFunctionDeclaration Submission(string name) => AIFunctionFactory.CreateDeclaration(
        name,
        "Submit the final result of the whole task: the path of the saved model inside the working directory and the metrics you measured. This ends the run.",
        Schema("""
            {"type":"object","properties":{
              "model_path":{"type":"string","description":"Path of the saved model, inside the working directory."},
              "metrics":{"type":"object","description":"Measured metrics by name, e.g. {\"val_loss\": 3.1}."},
              "submission":{"type":"string","description":"A short summary of the submission."}},
             "required":["model_path"]}
            """));

    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
