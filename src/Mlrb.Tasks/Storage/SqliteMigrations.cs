using Microsoft.Data.Sqlite;

namespace Mlrb.Tasks.Storage;

/// <summary>
/// The run store's schema as numbered migrations. Each runs once, in order, inside one immediate transaction with
/// its row in <c>schema_version</c>, so a crash mid-migration leaves the previous version intact.
/// Never edit a shipped migration; append a new one.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>The migrations, version 1 first.</summary>
    public static IReadOnlyList<string[]> All { get; } =
    [
        // 1: runs and their steps.
        [
            """
            CREATE TABLE runs (
                run_id            TEXT    NOT NULL PRIMARY KEY,
                task_name         TEXT    NOT NULL,
                workspace_path    TEXT    NOT NULL,
                provider          TEXT,
                model             TEXT,
                status            TEXT    NOT NULL,
                started_at        TEXT    NOT NULL,
                finished_at       TEXT,
                time_limit_ticks  INTEGER,
                stop_reason       TEXT,
                input_tokens      INTEGER NOT NULL DEFAULT 0,
                output_tokens     INTEGER NOT NULL DEFAULT 0,
                cost_usd          TEXT,
                result_json       TEXT,
                metadata_json     TEXT
            )
            """,
            """
            CREATE TABLE steps (
                id                INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id            TEXT    NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                agent             TEXT    NOT NULL,
                kind              TEXT    NOT NULL,
                tool              TEXT,
                call_id           TEXT,
                arguments_json    TEXT,
                status            TEXT    NOT NULL,
                output_excerpt    TEXT,
                error_excerpt     TEXT,
                input_tokens      INTEGER NOT NULL DEFAULT 0,
                output_tokens     INTEGER NOT NULL DEFAULT 0,
                started_at        TEXT    NOT NULL,
                completed_at      TEXT
            )
            """,
            "CREATE INDEX ix_steps_run ON steps(run_id, id)",
        ],

        // 2: chat transcripts, and lookup of tool calls by id for resuming runs.
        [
            """
            CREATE TABLE messages (
                id                INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id            TEXT    NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                agent             TEXT    NOT NULL,
                role              TEXT    NOT NULL,
                content_json      TEXT    NOT NULL,
                input_tokens      INTEGER NOT NULL DEFAULT 0,
                output_tokens     INTEGER NOT NULL DEFAULT 0,
                created_at        TEXT    NOT NULL
            )
            """,
            "CREATE INDEX ix_messages_run ON messages(run_id, id)",
            "CREATE INDEX ix_steps_call ON steps(run_id, call_id)",
        ],

        // 3: the results ledger: each run's outcome, score, label and environment, and every evaluation of its submission.
        [
            "ALTER TABLE runs ADD COLUMN outcome TEXT",
            "ALTER TABLE runs ADD COLUMN outcome_detail TEXT",
            "ALTER TABLE runs ADD COLUMN score REAL",
            "ALTER TABLE runs ADD COLUMN label TEXT",
            "ALTER TABLE runs ADD COLUMN environment_json TEXT",
            """
            CREATE TABLE evaluations (
                id                INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id            TEXT    NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                started_at        TEXT    NOT NULL,
                finished_at       TEXT    NOT NULL,
                outcome           TEXT    NOT NULL,
                detail            TEXT,
                score             REAL,
                score_name        TEXT,
                model_path        TEXT,
                model_sha256      TEXT,
                data_directory    TEXT,
                report_json       TEXT,
                environment_json  TEXT
            )
            """,
            "CREATE INDEX ix_evaluations_run ON evaluations(run_id, id)",

            // Runs that ended before outcomes existed: failures get the outcome their status and result imply;
            // runs with a submission stay unscored until `mlrb eval --run` scores them.
            """
            UPDATE runs SET outcome = 'provider_error', outcome_detail = stop_reason
            WHERE status = 'Failed' AND stop_reason LIKE 'model call failed%'
            """,
            """
            UPDATE runs SET outcome = CASE status WHEN 'BudgetExhausted' THEN 'budget_exhausted' ELSE 'no_submission' END,
                            outcome_detail = stop_reason
            WHERE outcome IS NULL AND status IN ('BudgetExhausted', 'Failed')
              AND (result_json IS NULL OR NOT json_valid(result_json) OR json_extract(result_json, '$.submission') IS NULL)
            """,
        ],
    ];

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => All.Count;

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (default: the latest).</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="databasePath">The file, for error messages.</param>
    /// <param name="targetVersion">The version to stop at; tests use it to build older databases.</param>
    /// <returns>The version the database had before.</returns>
    public static int Apply(SqliteConnection connection, string databasePath, int? targetVersion = null)
    {
        var target = targetVersion ?? LatestVersion;
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");

        using var transaction = connection.BeginTransaction(deferred: false);
        var current = CurrentVersion(connection, transaction);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"Run database '{databasePath}' has schema version {current}, newer than this build of Mlrb supports ({LatestVersion}). Use a newer Mlrb or another database file.");
        }

        for (var version = current + 1; version <= target; version++)
        {
            foreach (var statement in All[version - 1])
            {
                Execute(connection, transaction, statement);
            }

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$at", SqliteValues.ToText(DateTimeOffset.UtcNow));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return current;
    }

    /// <summary>The highest applied version, 0 for a new database.</summary>
    public static int CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
