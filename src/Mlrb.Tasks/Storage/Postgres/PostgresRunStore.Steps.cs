using Npgsql;

namespace Mlrb.Tasks.Storage.Postgres;

internal sealed partial class PostgresRunStore
{

    /// <inheritdoc />
    public Task<long> AddStepAsync(StepRecord stepRecord, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stepRecord);
        var token = Guid.NewGuid();
        return WithConnectionAsync(
            (connection, ct) => InsertAsync(
                connection,
                """
                INSERT INTO steps (run_id, agent, kind, tool, call_id, arguments_json, status, output_excerpt, error_excerpt, input_tokens, output_tokens, started_at, completed_at, client_token)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                ON CONFLICT (client_token) DO UPDATE SET client_token = EXCLUDED.client_token
                RETURNING id
                """,
                "step",
                stepRecord.RunId,
                ct,
                stepRecord.RunId,
                stepRecord.Agent,
                stepRecord.Kind,
                stepRecord.Tool,
                stepRecord.CallId,
                stepRecord.ArgumentsJson,
                stepRecord.Status.ToString(),
                stepRecord.OutputExcerpt,
                stepRecord.ErrorExcerpt,
                stepRecord.InputTokens,
                stepRecord.OutputTokens,
                PostgresValues.Utc(stepRecord.StartedAt),
                PostgresValues.Utc(stepRecord.CompletedAt),
                token),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteStepAsync(long stepId, StepCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var token = Guid.NewGuid();
        return WithConnectionAsync(
            async (connection, ct) =>
            {
                // Tokens are added, so a retry must not apply the same completion twice: the completion token says
                // whether this very completion already landed.
                await using var command = Command(
                    connection,
                    """
                    UPDATE steps SET status = $2, output_excerpt = $3, error_excerpt = $4, completed_at = $5,
                        input_tokens = input_tokens + $6, output_tokens = output_tokens + $7, completion_token = $8
                    WHERE id = $1 AND completion_token IS DISTINCT FROM $8
                    """,
                    stepId,
                    completion.Status.ToString(),
                    completion.OutputExcerpt,
                    completion.ErrorExcerpt,
                    PostgresValues.Utc(completion.CompletedAt),
                    completion.InputTokens,
                    completion.OutputTokens,
                    token);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                {
                    return 1;
                }

                await using var check = Command(connection, "SELECT completion_token FROM steps WHERE id = $1", stepId);
                return await check.ExecuteScalarAsync(ct).ConfigureAwait(false) is Guid landed && landed == token
                    ? 1
                    : throw new InvalidOperationException($"Step {stepId} does not exist in {Description}.");
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync<IReadOnlyList<StepRecord>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, $"SELECT {StoreRows.StepColumns} FROM steps WHERE run_id = $1 ORDER BY id", runId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var steps = new List<StepRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    steps.Add(StoreRows.ReadStep(reader));
                }

                return steps;
            },
            cancellationToken);
    }

    /// <summary>Runs an idempotent insert that returns the new row's id; a missing run is a clear error.</summary>
    private async Task<long> InsertAsync(NpgsqlConnection connection, string sql, string what, string runId, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new InvalidOperationException($"Cannot add a {what} to run '{runId}': the run does not exist in {Description}.", ex);
        }
    }
}
