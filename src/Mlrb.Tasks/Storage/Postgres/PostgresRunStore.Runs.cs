using Npgsql;

namespace Mlrb.Tasks.Storage.Postgres;

internal sealed partial class PostgresRunStore
{

    /// <inheritdoc />
    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var token = Guid.NewGuid();
        return WithConnectionAsync(
            async (connection, ct) =>
            {
                await using var command = Command(
                    connection,
                    $"""
                    INSERT INTO runs ({StoreRows.RunColumns}, create_token)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
                    ON CONFLICT (run_id) DO NOTHING
                    """,
                    [.. RunValues(run), token]);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                {
                    return 1;
                }

                // The row exists: ours when an earlier attempt committed but its acknowledgement was lost.
                await using var check = Command(connection, "SELECT create_token FROM runs WHERE run_id = $1", run.RunId);
                return await check.ExecuteScalarAsync(ct).ConfigureAwait(false) is Guid existing && existing == token
                    ? 1
                    : throw new InvalidOperationException($"Run '{run.RunId}' already exists in {Description}.");
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync(
            async (connection, ct) =>
            {
                await using var command = Command(connection, $"SELECT {StoreRows.RunColumns} FROM runs WHERE run_id = $1", runId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? StoreRows.ReadRun(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(CancellationToken cancellationToken = default) =>
        WithConnectionAsync<IReadOnlyList<RunRecord>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, $"SELECT {StoreRows.RunColumns} FROM runs ORDER BY started_at DESC, run_id");
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var runs = new List<RunRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    runs.Add(StoreRows.ReadRun(reader));
                }

                return runs;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WithConnectionAsync(
            async (connection, ct) =>
            {
                // Setting every column is idempotent, so a retried update is harmless.
                await using var command = Command(
                    connection,
                    """
                    UPDATE runs SET task_name = $2, workspace_path = $3, provider = $4, model = $5, status = $6, started_at = $7,
                        finished_at = $8, time_limit_ticks = $9, stop_reason = $10, input_tokens = $11, output_tokens = $12,
                        cost_usd = $13, result_json = $14, metadata_json = $15, outcome = $16, outcome_detail = $17, score = $18,
                        label = $19, environment_json = $20
                    WHERE run_id = $1
                    """,
                    RunValues(run));
                var changed = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return changed == 1 ? changed : throw new InvalidOperationException($"Run '{run.RunId}' does not exist in {Description}.");
            },
            cancellationToken);
    }

    private static object?[] RunValues(RunRecord run) =>
    [
        run.RunId,
        run.TaskName,
        run.WorkspacePath,
        run.Provider,
        run.Model,
        run.Status.ToString(),
        PostgresValues.Utc(run.StartedAt),
        PostgresValues.Utc(run.FinishedAt),
        PostgresValues.Ticks(run.TimeLimit),
        run.StopReason,
        run.InputTokens,
        run.OutputTokens,
        run.CostUsd,
        run.ResultJson,
        run.MetadataJson,
        PostgresValues.Name(run.Outcome),
        run.OutcomeDetail,
        PostgresValues.Finite(run.Score),
        run.Label,
        run.EnvironmentJson,
    ];
}
