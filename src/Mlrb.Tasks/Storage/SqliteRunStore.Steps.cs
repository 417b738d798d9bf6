using Microsoft.Data.Sqlite;

namespace Mlrb.Tasks.Storage;

internal sealed partial class SqliteRunStore
{

    /// <inheritdoc />
    public Task<long> AddStepAsync(StepRecord stepRecord, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stepRecord);
        return WithConnectionAsync(
            async connection =>
            {
                using var command = Command(
                    connection,
                    """
                    INSERT INTO steps (run_id, agent, kind, tool, call_id, arguments_json, status, output_excerpt, error_excerpt, input_tokens, output_tokens, started_at, completed_at)
                    VALUES ($run, $agent, $kind, $tool, $call, $args, $status, $out_text, $err_text, $in, $out, $started, $completed);
                    SELECT last_insert_rowid();
                    """,
                    ("$run", stepRecord.RunId),
                    ("$agent", stepRecord.Agent),
                    ("$kind", stepRecord.Kind),
                    ("$tool", SqliteValues.ToDb(stepRecord.Tool)),
                    ("$call", SqliteValues.ToDb(stepRecord.CallId)),
                    ("$args", SqliteValues.ToDb(stepRecord.ArgumentsJson)),
                    ("$status", stepRecord.Status.ToString()),
                    ("$out_text", SqliteValues.ToDb(stepRecord.OutputExcerpt)),
                    ("$err_text", SqliteValues.ToDb(stepRecord.ErrorExcerpt)),
                    ("$in", stepRecord.InputTokens),
                    ("$out", stepRecord.OutputTokens),
                    ("$started", SqliteValues.ToText(stepRecord.StartedAt)),
                    ("$completed", SqliteValues.ToDb(stepRecord.CompletedAt)));
                return await InsertAsync(command, "step", stepRecord.RunId, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteStepAsync(long stepId, StepCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return WithConnectionAsync(
            async connection =>
            {
                using var command = Command(
                    connection,
                    """
                    UPDATE steps SET status = $status, output_excerpt = $out_text, error_excerpt = $err_text, completed_at = $completed,
                        input_tokens = input_tokens + $in, output_tokens = output_tokens + $out
                    WHERE id = $id
                    """,
                    ("$id", stepId),
                    ("$status", completion.Status.ToString()),
                    ("$out_text", SqliteValues.ToDb(completion.OutputExcerpt)),
                    ("$err_text", SqliteValues.ToDb(completion.ErrorExcerpt)),
                    ("$completed", SqliteValues.ToText(completion.CompletedAt)),
                    ("$in", completion.InputTokens),
                    ("$out", completion.OutputTokens));
                var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return changed == 1 ? changed : throw new InvalidOperationException($"Step {stepId} does not exist in {DatabasePath}.");
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync<IReadOnlyList<StepRecord>>(
            async connection =>
            {
                using var command = Command(connection, $"SELECT {StoreRows.StepColumns} FROM steps WHERE run_id = $run ORDER BY id", ("$run", runId));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var steps = new List<StepRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    steps.Add(StoreRows.ReadStep(reader));
                }

                return steps;
            },
            cancellationToken);
    }

    private async Task<long> InsertAsync(SqliteCommand command, string what, string runId, CancellationToken cancellationToken)
    {
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"Cannot add a {what} to run '{runId}': the run does not exist in {DatabasePath}.", ex);
        }
    }
}
