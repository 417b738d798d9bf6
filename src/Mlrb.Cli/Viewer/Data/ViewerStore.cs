using System.Globalization;
using Microsoft.Data.Sqlite;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Viewer.Data;

/// <summary>
/// Reads a run store without changing it: the file is opened read-only and never migrated, so stores written by older
/// Mlrb versions (fewer columns, no transcript or evaluation tables) are read as they are; a store newer than this build
/// is refused with a message that says so. Each call opens its own connection, so concurrent requests never share one.
/// </summary>
internal sealed class ViewerStore
{
    private readonly string _connectionString;
    private readonly HashSet<string> _runColumns;
    private readonly bool _hasMessages;
    private readonly bool _hasEvaluations;

    private ViewerStore(string path, int version, HashSet<string> runColumns, bool hasMessages, bool hasEvaluations)
    {
        DatabasePath = path;
        SchemaVersion = version;
        _connectionString = ConnectionString(path);
        _runColumns = runColumns;
        _hasMessages = hasMessages;
        _hasEvaluations = hasEvaluations;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The store's schema version (0 when it has no version table).</summary>
    public int SchemaVersion { get; }

    /// <summary>Opens a store for reading; throws <see cref="ViewerStoreException"/> with a clear message when it cannot be read.</summary>
    public static ViewerStore Open(string databasePath)
    {
        if (RunStoreFactory.IsPostgres(databasePath))
        {
            throw new ViewerStoreException("mlrb view reads SQLite run stores; for a PostgreSQL store, use mlrb results (the viewer does not read PostgreSQL yet).");
        }

        var full = Path.GetFullPath(databasePath);
        if (!File.Exists(full))
        {
            throw new ViewerStoreException($"Run database '{full}' does not exist. Pass --db with the file `mlrb run` wrote (default runs/mlrb.db).");
        }

        try
        {
            using var connection = new SqliteConnection(ConnectionString(full));
            connection.Open();
            var tables = Names(connection, "SELECT name FROM sqlite_master WHERE type = 'table'");
            if (!tables.Contains("runs"))
            {
                throw new ViewerStoreException($"'{full}' is not an Mlrb run database (it has no runs table).");
            }

            var version = tables.Contains("schema_version")
                ? Convert.ToInt32(Scalar(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture)
                : 0;
            if (version > RunStoreFactory.SchemaVersion)
            {
                throw new ViewerStoreException(
                    $"Run database '{full}' has schema version {version}, newer than this viewer reads ({RunStoreFactory.SchemaVersion}). Update Mlrb (dotnet tool update Mlrb.Cli) to view it.");
            }

            var columns = Names(connection, "SELECT name FROM pragma_table_info('runs')");
            return new ViewerStore(full, version, columns, tables.Contains("messages"), tables.Contains("evaluations"));
        }
        catch (SqliteException ex)
        {
            throw new ViewerStoreException($"Cannot read run database '{full}': {ex.Message}");
        }
    }

    /// <summary>Every run, newest first.</summary>
    public IReadOnlyList<RunRecord> ListRuns() => ReadRuns($"SELECT {RunSelect()} FROM runs ORDER BY started_at DESC, run_id");

    /// <summary>One run, or null.</summary>
    public RunRecord? GetRun(string runId) =>
        ReadRuns($"SELECT {RunSelect()} FROM runs WHERE run_id = $id", ("$id", runId)).FirstOrDefault();

    /// <summary>Steps of a run with an id above <paramref name="afterId"/>, in order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<StepRecord> GetSteps(string runId, long afterId = 0, int offset = 0, int limit = int.MaxValue)
    {
        using var connection = OpenConnection();
        using var command = Command(
            connection,
            "SELECT id, run_id, agent, kind, tool, call_id, arguments_json, status, output_excerpt, error_excerpt, input_tokens, output_tokens, started_at, completed_at FROM steps WHERE run_id = $run AND id > $after ORDER BY id LIMIT $limit OFFSET $offset",
            ("$run", runId), ("$after", afterId), ("$limit", limit), ("$offset", offset));
        using var reader = command.ExecuteReader();
        var steps = new List<StepRecord>();
        while (reader.Read())
        {
            steps.Add(new StepRecord
            {
                Id = reader.GetInt64(0),
                RunId = reader.GetString(1),
                Agent = reader.GetString(2),
                Kind = reader.GetString(3),
                Tool = Text(reader, 4),
                CallId = Text(reader, 5),
                ArgumentsJson = Text(reader, 6),
                Status = Enum.TryParse<StepStatus>(reader.GetString(7), out var s) ? s : StepStatus.Started,
                OutputExcerpt = Text(reader, 8),
                ErrorExcerpt = Text(reader, 9),
                InputTokens = reader.GetInt64(10),
                OutputTokens = reader.GetInt64(11),
                StartedAt = Time(reader.GetString(12)),
                CompletedAt = reader.IsDBNull(13) ? null : Time(reader.GetString(13)),
            });
        }

        return steps;
    }

    /// <summary>How many steps a run has.</summary>
    public int CountSteps(string runId) => Count("SELECT COUNT(*) FROM steps WHERE run_id = $run", runId);

    /// <summary>How many transcript messages a run has (0 for stores without transcripts).</summary>
    public int CountMessages(string runId) => _hasMessages ? Count("SELECT COUNT(*) FROM messages WHERE run_id = $run", runId) : 0;

    /// <summary>One page of a run's transcript, in the order it was written.</summary>
    public IReadOnlyList<MessageRecord> GetMessages(string runId, int offset, int limit)
    {
        if (!_hasMessages)
        {
            return [];
        }

        using var connection = OpenConnection();
        using var command = Command(
            connection,
            "SELECT id, run_id, agent, role, content_json, input_tokens, output_tokens, created_at FROM messages WHERE run_id = $run ORDER BY id LIMIT $limit OFFSET $offset",
            ("$run", runId), ("$limit", limit), ("$offset", offset));
        using var reader = command.ExecuteReader();
        var messages = new List<MessageRecord>();
        while (reader.Read())
        {
            messages.Add(new MessageRecord
            {
                Id = reader.GetInt64(0),
                RunId = reader.GetString(1),
                Agent = reader.GetString(2),
                Role = reader.GetString(3),
                ContentJson = reader.GetString(4),
                InputTokens = reader.GetInt64(5),
                OutputTokens = reader.GetInt64(6),
                CreatedAt = Time(reader.GetString(7)),
            });
        }

        return messages;
    }

    /// <summary>The evaluations of a run, oldest first (none for stores without the table).</summary>
    public IReadOnlyList<EvaluationRecord> GetEvaluations(string runId)
    {
        if (!_hasEvaluations)
        {
            return [];
        }

        using var connection = OpenConnection();
        using var command = Command(
            connection,
            "SELECT id, run_id, started_at, finished_at, outcome, detail, score, score_name, model_path, model_sha256, data_directory, report_json, environment_json FROM evaluations WHERE run_id = $run ORDER BY id",
            ("$run", runId));
        using var reader = command.ExecuteReader();
        var evaluations = new List<EvaluationRecord>();
        while (reader.Read())
        {
            evaluations.Add(new EvaluationRecord
            {
                Id = reader.GetInt64(0),
                RunId = reader.GetString(1),
                StartedAt = Time(reader.GetString(2)),
                FinishedAt = Time(reader.GetString(3)),
                Outcome = RunOutcomes.TryParse(reader.GetString(4), out var o) ? o.Value : RunOutcome.EvaluationError,
                Detail = Text(reader, 5),
                Score = reader.IsDBNull(6) ? null : reader.GetDouble(6),
                ScoreName = Text(reader, 7),
                ModelPath = Text(reader, 8),
                ModelSha256 = Text(reader, 9),
                DataDirectory = Text(reader, 10),
                ReportJson = Text(reader, 11),
                EnvironmentJson = Text(reader, 12),
            });
        }

        return evaluations;
    }

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = false,
        DefaultTimeout = 10,
    }.ToString();

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private string RunSelect()
    {
        string Col(string name) => _runColumns.Contains(name) ? name : "NULL";
        return "run_id, task_name, workspace_path, provider, model, status, started_at, finished_at, time_limit_ticks, stop_reason, input_tokens, output_tokens, cost_usd, result_json, metadata_json, "
            + $"{Col("outcome")}, {Col("outcome_detail")}, {Col("score")}, {Col("label")}, {Col("environment_json")}";
    }

    private List<RunRecord> ReadRuns(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenConnection();
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var runs = new List<RunRecord>();
        while (reader.Read())
        {
            runs.Add(new RunRecord
            {
                RunId = reader.GetString(0),
                TaskName = reader.GetString(1),
                WorkspacePath = reader.GetString(2),
                Provider = Text(reader, 3),
                Model = Text(reader, 4),
                Status = Enum.TryParse<RunStatus>(reader.GetString(5), out var status) ? status : RunStatus.Failed,
                StartedAt = Time(reader.GetString(6)),
                FinishedAt = reader.IsDBNull(7) ? null : Time(reader.GetString(7)),
                TimeLimit = reader.IsDBNull(8) ? null : TimeSpan.FromTicks(reader.GetInt64(8)),
                StopReason = Text(reader, 9),
                InputTokens = reader.GetInt64(10),
                OutputTokens = reader.GetInt64(11),
                CostUsd = reader.IsDBNull(12) ? null : decimal.Parse(reader.GetString(12), CultureInfo.InvariantCulture),
                ResultJson = Text(reader, 13),
                MetadataJson = Text(reader, 14),
                Outcome = reader.IsDBNull(15) ? null : RunOutcomes.TryParse(reader.GetString(15), out var o) ? o : null,
                OutcomeDetail = Text(reader, 16),
                Score = reader.IsDBNull(17) ? null : reader.GetDouble(17),
                Label = Text(reader, 18),
                EnvironmentJson = Text(reader, 19),
            });
        }

        return runs;
    }

    private int Count(string sql, string runId)
    {
        using var connection = OpenConnection();
        using var command = Command(connection, sql, ("$run", runId));
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static HashSet<string> Names(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteScalar();
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
