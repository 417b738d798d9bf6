using Npgsql;

namespace Mlrb.Tasks.Storage.Postgres;

/// <summary>
/// The PostgreSQL run store's schema as numbered migrations, the same tables and columns as the SQLite store's
/// (times as <c>timestamptz</c>, so microsecond precision). Migrations run in one transaction under an advisory lock,
/// so many processes opening a new database at once apply each exactly once. Never edit a shipped migration.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>Key of the advisory lock held while migrating ("mlrb" in ASCII).</summary>
    private const long MigrationLockKey = 0x6D6C7262;

    /// <summary>The migrations, version 1 first.</summary>
    public static IReadOnlyList<string[]> All { get; } =
    [
        // 1: the whole ledger as of SQLite schema 3, plus idempotency tokens so a write retried after a dropped
        // connection is applied once.
        [
            """
            CREATE TABLE runs (
                run_id            text        NOT NULL PRIMARY KEY,
                task_name         text        NOT NULL,
                workspace_path    text        NOT NULL,
                provider          text,
                model             text,
                status            text        NOT NULL,
                started_at        timestamptz NOT NULL,
                finished_at       timestamptz,
                time_limit_ticks  bigint,
                stop_reason       text,
                input_tokens      bigint      NOT NULL DEFAULT 0,
                output_tokens     bigint      NOT NULL DEFAULT 0,
                cost_usd          numeric,
                result_json       text,
                metadata_json     text,
                outcome           text,
                outcome_detail    text,
                score             double precision,
                label             text,
                environment_json  text,
                create_token      uuid
            )
            """,
            """
            CREATE TABLE steps (
                id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id            text        NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                agent             text        NOT NULL,
                kind              text        NOT NULL,
                tool              text,
                call_id           text,
                arguments_json    text,
                status            text        NOT NULL,
                output_excerpt    text,
                error_excerpt     text,
                input_tokens      bigint      NOT NULL DEFAULT 0,
                output_tokens     bigint      NOT NULL DEFAULT 0,
                started_at        timestamptz NOT NULL,
                completed_at      timestamptz,
                client_token      uuid        NOT NULL UNIQUE,
                completion_token  uuid
            )
            """,
            "CREATE INDEX ix_steps_run ON steps(run_id, id)",
            "CREATE INDEX ix_steps_call ON steps(run_id, call_id)",
            """
            CREATE TABLE messages (
                id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id            text        NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                agent             text        NOT NULL,
                role              text        NOT NULL,
                content_json      text        NOT NULL,
                input_tokens      bigint      NOT NULL DEFAULT 0,
                output_tokens     bigint      NOT NULL DEFAULT 0,
                created_at        timestamptz NOT NULL,
                client_token      uuid        NOT NULL UNIQUE
            )
            """,
            "CREATE INDEX ix_messages_run ON messages(run_id, id)",
            """
            CREATE TABLE evaluations (
                id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id            text        NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                started_at        timestamptz NOT NULL,
                finished_at       timestamptz NOT NULL,
                outcome           text        NOT NULL,
                detail            text,
                score             double precision,
                score_name        text,
                model_path        text,
                model_sha256      text,
                data_directory    text,
                report_json       text,
                environment_json  text,
                client_token      uuid        NOT NULL UNIQUE
            )
            """,
            "CREATE INDEX ix_evaluations_run ON evaluations(run_id, id)",
        ],
    ];

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => All.Count;

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (default: the latest).</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="where">The server and database, for error messages (never the password).</param>
    /// <param name="targetVersion">The version to stop at (tests).</param>
    /// <param name="cancellationToken">Cancels migrating.</param>
    /// <returns>The version the database had before.</returns>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, string where, int? targetVersion, CancellationToken cancellationToken)
    {
        var target = targetVersion ?? LatestVersion;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)",
            cancellationToken).ConfigureAwait(false);

        int current;
        await using (var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection, transaction))
        {
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"Run database {where} has schema version {current}, newer than this build of Mlrb supports ({LatestVersion}). Use a newer Mlrb or another database.");
        }

        for (var version = current + 1; version <= target; version++)
        {
            foreach (var statement in All[version - 1])
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
            }

            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, applied_at) VALUES ($1, now())", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = version });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
