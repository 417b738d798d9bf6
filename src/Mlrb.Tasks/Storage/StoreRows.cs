using System.Data.Common;
using System.Globalization;
using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Storage;

/// <summary>
/// Reads store rows into records, for every store: the SELECTs of SQLite and PostgreSQL list the same columns in the
/// same order. Times and money arrive as text from SQLite (ISO 8601 UTC, invariant decimal) and typed from PostgreSQL
/// (timestamptz, numeric); both are accepted.
/// </summary>
internal static class StoreRows
{
    /// <summary>Columns of <see cref="ReadRun"/>, in order.</summary>
    public const string RunColumns =
        "run_id, task_name, workspace_path, provider, model, status, started_at, finished_at, time_limit_ticks, stop_reason, input_tokens, output_tokens, cost_usd, result_json, metadata_json, outcome, outcome_detail, score, label, environment_json";

    /// <summary>Columns of <see cref="ReadStep"/>, in order.</summary>
    public const string StepColumns =
        "id, run_id, agent, kind, tool, call_id, arguments_json, status, output_excerpt, error_excerpt, input_tokens, output_tokens, started_at, completed_at";

    /// <summary>Columns of <see cref="ReadMessage"/>, in order.</summary>
    public const string MessageColumns = "id, run_id, agent, role, content_json, input_tokens, output_tokens, created_at";

    /// <summary>Columns of <see cref="ReadEvaluation"/>, in order.</summary>
    public const string EvaluationColumns =
        "id, run_id, started_at, finished_at, outcome, detail, score, score_name, model_path, model_sha256, data_directory, report_json, environment_json";

    public static RunRecord ReadRun(DbDataReader reader) => new()
    {
        RunId = reader.GetString(0),
        TaskName = reader.GetString(1),
        WorkspacePath = reader.GetString(2),
        Provider = OptionalString(reader, 3),
        Model = OptionalString(reader, 4),
        Status = Enum<RunStatus>(reader, 5),
        StartedAt = Time(reader, 6),
        FinishedAt = OptionalTime(reader, 7),
        TimeLimit = reader.IsDBNull(8) ? null : TimeSpan.FromTicks(reader.GetInt64(8)),
        StopReason = OptionalString(reader, 9),
        InputTokens = reader.GetInt64(10),
        OutputTokens = reader.GetInt64(11),
        CostUsd = OptionalDecimal(reader, 12),
        ResultJson = OptionalString(reader, 13),
        MetadataJson = OptionalString(reader, 14),
        Outcome = OptionalOutcome(reader, 15),
        OutcomeDetail = OptionalString(reader, 16),
        Score = reader.IsDBNull(17) ? null : reader.GetDouble(17),
        Label = OptionalString(reader, 18),
        EnvironmentJson = OptionalString(reader, 19),
    };

    public static StepRecord ReadStep(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        RunId = reader.GetString(1),
        Agent = reader.GetString(2),
        Kind = reader.GetString(3),
        Tool = OptionalString(reader, 4),
        CallId = OptionalString(reader, 5),
        ArgumentsJson = OptionalString(reader, 6),
        Status = Enum<StepStatus>(reader, 7),
        OutputExcerpt = OptionalString(reader, 8),
        ErrorExcerpt = OptionalString(reader, 9),
        InputTokens = reader.GetInt64(10),
        OutputTokens = reader.GetInt64(11),
        StartedAt = Time(reader, 12),
        CompletedAt = OptionalTime(reader, 13),
    };

    public static MessageRecord ReadMessage(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        RunId = reader.GetString(1),
        Agent = reader.GetString(2),
        Role = reader.GetString(3),
        ContentJson = reader.GetString(4),
        InputTokens = reader.GetInt64(5),
        OutputTokens = reader.GetInt64(6),
        CreatedAt = Time(reader, 7),
    };

    public static EvaluationRecord ReadEvaluation(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        RunId = reader.GetString(1),
        StartedAt = Time(reader, 2),
        FinishedAt = Time(reader, 3),
        Outcome = OptionalOutcome(reader, 4) ?? RunOutcome.EvaluationError,
        Detail = OptionalString(reader, 5),
        Score = reader.IsDBNull(6) ? null : reader.GetDouble(6),
        ScoreName = OptionalString(reader, 7),
        ModelPath = OptionalString(reader, 8),
        ModelSha256 = OptionalString(reader, 9),
        DataDirectory = OptionalString(reader, 10),
        ReportJson = OptionalString(reader, 11),
        EnvironmentJson = OptionalString(reader, 12),
    };

    private static string? OptionalString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset Time(DbDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        DateTimeOffset value => value,
        DateTime value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
        var other => throw new InvalidCastException($"column {reader.GetName(ordinal)} holds a {other.GetType().Name}, not a time"),
    };

    private static DateTimeOffset? OptionalTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    private static decimal? OptionalDecimal(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal) switch
    {
        string text => decimal.Parse(text, CultureInfo.InvariantCulture),
        var value => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    /// <summary>An outcome column; a name this build does not know reads as null rather than failing the whole read.</summary>
    private static RunOutcome? OptionalOutcome(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : RunOutcomes.TryParse(reader.GetString(ordinal), out var outcome) ? outcome : null;

    private static TEnum Enum<TEnum>(DbDataReader reader, int ordinal)
        where TEnum : struct, System.Enum =>
        System.Enum.Parse<TEnum>(reader.GetString(ordinal));
}
