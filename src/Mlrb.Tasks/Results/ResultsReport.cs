using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mlrb.Tasks.Results;

/// <summary>The results of a set of runs: one row per task and agent, and every run. Its JSON carries everything the tables show.</summary>
public sealed record ResultsReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One row per task and agent, ordered by task, then agent.</summary>
    public required IReadOnlyList<TaskAgentResults> Summaries { get; init; }

    /// <summary>Every run counted, ordered by task, agent and start time.</summary>
    public required IReadOnlyList<RunResult> Runs { get; init; }

    /// <summary>How the numbers are counted, in words (the tables print it under the table).</summary>
    public string Note { get; init; } = ResultsLedger.CountingNote;

    /// <summary>This report as indented JSON with snake_case names; outcomes by their snake_case names.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    public static ResultsReport FromJson(string json)
        => JsonSerializer.Deserialize<ResultsReport>(json, Json) ?? throw new InvalidDataException("The results JSON is empty.");
}
