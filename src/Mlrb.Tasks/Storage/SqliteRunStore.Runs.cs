using Microsoft.Data.Sqlite;

namespace Mlrb.Tasks.Storage;

internal sealed partial class SqliteRunStore
{

    /// <inheritdoc />
    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WithConnectionAsync(
            async connection =>
            {
                using var command = Command(
                    connection,
                    $"INSERT INTO runs ({StoreRows.RunColumns}) VALUES ($id, $task, $workspace, $provider, $model, $status, $started, $finished, $limit, $reason, $in, $out, $cost, $result, $metadata, $outcome, $detail, $score, $label, $environment)",
                    RunParameters(run));
                try
                {
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                {
                    throw new InvalidOperationException($"Run '{run.RunId}' already exists in {DatabasePath}.", ex);
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync(
            async connection =>
            {
                using var command = Command(connection, $"SELECT {StoreRows.RunColumns} FROM runs WHERE run_id = $id", ("$id", runId));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.ReadRun(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(CancellationToken cancellationToken = default) =>
        WithConnectionAsync<IReadOnlyList<RunRecord>>(
            async connection =>
            {
                using var command = Command(connection, $"SELECT {StoreRows.RunColumns} FROM runs ORDER BY started_at DESC, run_id");
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var runs = new List<RunRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
            async connection =>
            {
                using var command = Command(
                    connection,
                    """
                    UPDATE runs SET task_name = $task, workspace_path = $workspace, provider = $provider, model = $model,
                        status = $status, started_at = $started, finished_at = $finished, time_limit_ticks = $limit,
                        stop_reason = $reason, input_tokens = $in, output_tokens = $out, cost_usd = $cost,
                        result_json = $result, metadata_json = $metadata, outcome = $outcome, outcome_detail = $detail,
                        score = $score, label = $label, environment_json = $environment
                    WHERE run_id = $id
                    """,
                    RunParameters(run));
                var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return changed == 1 ? changed : throw new InvalidOperationException($"Run '{run.RunId}' does not exist in {DatabasePath}.");
            },
            cancellationToken);
    }

    private static (string, object)[] RunParameters(RunRecord run) =>
    [
        ("$id", run.RunId),
        ("$task", run.TaskName),
        ("$workspace", run.WorkspacePath),
        ("$provider", SqliteValues.ToDb(run.Provider)),
        ("$model", SqliteValues.ToDb(run.Model)),
        ("$status", run.Status.ToString()),
        ("$started", SqliteValues.ToText(run.StartedAt)),
        ("$finished", SqliteValues.ToDb(run.FinishedAt)),
        ("$limit", SqliteValues.ToDb(run.TimeLimit)),
        ("$reason", SqliteValues.ToDb(run.StopReason)),
        ("$in", run.InputTokens),
        ("$out", run.OutputTokens),
        ("$cost", SqliteValues.ToDb(run.CostUsd)),
        ("$result", SqliteValues.ToDb(run.ResultJson)),
        ("$metadata", SqliteValues.ToDb(run.MetadataJson)),
        ("$outcome", SqliteValues.ToDb(run.Outcome)),
        ("$detail", SqliteValues.ToDb(run.OutcomeDetail)),
        ("$score", SqliteValues.ToDb(run.Score)),
        ("$label", SqliteValues.ToDb(run.Label)),
        ("$environment", SqliteValues.ToDb(run.EnvironmentJson)),
    ];
}
