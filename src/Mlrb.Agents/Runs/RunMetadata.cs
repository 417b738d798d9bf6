using System.Text.Json;

namespace Mlrb.Agents.Runs;

/// <summary>What the agent keeps in a run's metadata column: the task prompt and the active-time bookkeeping for resumes.</summary>
/// <param name="TaskPrompt">The task prompt.</param>
/// <param name="Planner">The planner model, <c>provider/model</c>.</param>
/// <param name="Worker">The worker model, <c>provider/model</c>.</param>
/// <param name="SessionStartedAt">When the current (or last) process began working on the run.</param>
/// <param name="ActiveSecondsBefore">Working time spent in earlier sessions (before a kill and resume).</param>
internal sealed record RunMetadata(string TaskPrompt, string Planner, string Worker, DateTimeOffset SessionStartedAt, double ActiveSecondsBefore)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes.</summary>
    /// <returns>JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the metadata of a run.</summary>
    /// <param name="json">The column value.</param>
    /// <param name="runId">For the error message.</param>
    /// <returns>The metadata.</returns>
    public static RunMetadata Parse(string? json, string runId)
    {
        try
        {
            return (json is null ? null : JsonSerializer.Deserialize<RunMetadata>(json, Json))
                ?? throw new InvalidDataException($"Run {runId} has no agent metadata; it was not started by mlrb run and cannot be resumed.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Run {runId} has unreadable agent metadata: {ex.Message}", ex);
        }
    }
}
