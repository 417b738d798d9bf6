using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents;

/// <summary>
/// The outcome of a run: the reference's result columns (task, run id, submission, model path, total tokens, actions,
/// time) plus input/output tokens, cost, status, why the run stopped, and the benchmark outcome and score.
/// </summary>
public sealed record AgentRunResult
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The task.</summary>
    public required string TaskName { get; init; }

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>How the run ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Why it stopped, in words.</summary>
    public string? StopReason { get; init; }

    /// <summary>The typed submission, when the agent made one.</summary>
    public Submission? Submission { get; init; }

    /// <summary>The submitted model's path (from <see cref="Submission"/>).</summary>
    public string? ModelPath => Submission?.ModelPath;

    /// <summary>Input tokens, as the APIs reported them.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens, as the APIs reported them.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Cost in US dollars, when prices were configured.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Tool calls made.</summary>
    public int Actions { get; init; }

    /// <summary>Wall-clock time the run used.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The worker model, as <c>provider/model</c>.</summary>
    public string? Model { get; init; }

    /// <summary>The run's workspace.</summary>
    public string? WorkspacePath { get; init; }

    /// <summary>
    /// The benchmark outcome (<c>scored</c>, <c>no_submission</c>, ...). The agent sets it for runs that end without a
    /// submission; for a submission it stays null until the submission is evaluated, which sets scored or a failure.
    /// </summary>
    [JsonConverter(typeof(OutcomeJsonConverter))]
    public RunOutcome? Outcome { get; init; }

    /// <summary>The outcome's detail: which budget, which rule, what failed.</summary>
    public string? OutcomeDetail { get; init; }

    /// <summary>The task score, when <see cref="Outcome"/> is <see cref="RunOutcome.Scored"/>.</summary>
    public double? Score { get; init; }

    /// <summary>What the score is, e.g. <c>blimp</c>.</summary>
    public string? ScoreName { get; init; }

    /// <summary>The agent's name in results tables, when one was given.</summary>
    public string? Label { get; init; }

    /// <summary>This result as indented JSON (camelCase, enums as strings).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a result written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The result.</returns>
    public static AgentRunResult FromJson(string json)
        => JsonSerializer.Deserialize<AgentRunResult>(json, Json) ?? throw new InvalidDataException("The result JSON is empty.");

    /// <summary>The result as metric/value rows, in the reference's order with the additions after.</summary>
    /// <returns>Label and value pairs.</returns>
    public IReadOnlyList<KeyValuePair<string, string>> ToRows()
    {
        var c = CultureInfo.InvariantCulture;
        return
        [
            new("Task Name", TaskName),
            new("Run ID", RunId),
            new("Status", Status.ToString()),
            new("Submission", Submission is null ? "(none)" : SubmissionText(Submission)),
            new("Model Path", ModelPath ?? "(none)"),
            new("Total Tokens", TotalTokens.ToString("N0", c)),
            new("Input Tokens", InputTokens.ToString("N0", c)),
            new("Output Tokens", OutputTokens.ToString("N0", c)),
            new("Cost (USD)", CostUsd is { } cost ? cost.ToString("0.0000", c) : "n/a"),
            new("Actions", Actions.ToString(c)),
            new("Time Taken in Seconds", Elapsed.TotalSeconds.ToString("0.0", c)),
            new("Time Taken in Minutes", Elapsed.TotalMinutes.ToString("0.00", c)),
            new("Time Taken in Hours", Elapsed.TotalHours.ToString("0.000", c)),
            new("Stop Reason", StopReason ?? ""),
            new("Outcome", Outcome is { } outcome ? outcome.ToName() + (OutcomeDetail is null ? "" : $" ({OutcomeDetail})") : Submission is null ? "(none)" : "not evaluated"),
            new("Score", Score is { } score ? score.ToString("0.0000", c) + (ScoreName is null ? "" : $" ({ScoreName})") : Outcome is null ? "n/a" : "0.0000 (counted as 0: not scored)"),
        ];
    }

    /// <summary>The result as a Markdown table with <c>Metric</c> and <c>Value</c> columns.</summary>
    /// <returns>The table text.</returns>
    public string ToMarkdownTable()
    {
        var rows = ToRows();
        var width = Math.Max(6, rows.Max(r => r.Key.Length));
        var valueWidth = Math.Max(5, rows.Max(r => r.Value.Length));
        var text = new StringBuilder();
        text.Append("| ").Append("Metric".PadRight(width)).Append(" | ").Append("Value".PadRight(valueWidth)).AppendLine(" |");
        text.Append("|-").Append(new string('-', width)).Append("-|-").Append(new string('-', valueWidth)).AppendLine("-|");
        foreach (var (key, value) in rows)
        {
            text.Append("| ").Append(key.PadRight(width)).Append(" | ").Append(value.Replace("|", "\\|", StringComparison.Ordinal).PadRight(valueWidth)).AppendLine(" |");
        }

        return text.ToString();
    }

    private static string SubmissionText(Submission submission)
    {
        var metrics = string.Join(", ", submission.Metrics.Select(m => $"{m.Key}={m.Value}"));
        return string.IsNullOrWhiteSpace(submission.Summary) ? metrics : metrics.Length == 0 ? submission.Summary : $"{metrics} ({submission.Summary})";
    }

    /// <summary>Writes outcomes as their snake_case names.</summary>
    private sealed class OutcomeJsonConverter : JsonConverter<RunOutcome?>
    {
        public override RunOutcome? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.Null ? null
                : RunOutcomes.TryParse(reader.GetString(), out var outcome) ? outcome
                : throw new JsonException($"'{reader.GetString()}' is not a run outcome.");

        public override void Write(Utf8JsonWriter writer, RunOutcome? value, JsonSerializerOptions options)
        {
            if (value is { } outcome)
            {
                writer.WriteStringValue(outcome.ToName());
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
