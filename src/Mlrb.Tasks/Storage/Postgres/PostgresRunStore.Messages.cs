using Npgsql;

namespace Mlrb.Tasks.Storage.Postgres;

internal sealed partial class PostgresRunStore
{
    /// <inheritdoc />
    public Task<long> AddMessageAsync(MessageRecord message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var token = Guid.NewGuid();
        return WithConnectionAsync(
            (connection, ct) => InsertAsync(
                connection,
                """
                INSERT INTO messages (run_id, agent, role, content_json, input_tokens, output_tokens, created_at, client_token)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (client_token) DO UPDATE SET client_token = EXCLUDED.client_token
                RETURNING id
                """,
                "message",
                message.RunId,
                ct,
                message.RunId,
                message.Agent,
                message.Role,
                message.ContentJson,
                message.InputTokens,
                message.OutputTokens,
                PostgresValues.Utc(message.CreatedAt),
                token),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MessageRecord>> GetMessagesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync<IReadOnlyList<MessageRecord>>(
            async (connection, ct) =>
            {
                await using var command = Command(
                    connection,
                    $"SELECT {StoreRows.MessageColumns} FROM messages WHERE run_id = $1 ORDER BY id",
                    runId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var messages = new List<MessageRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    messages.Add(StoreRows.ReadMessage(reader));
                }

                return messages;
            },
            cancellationToken);
    }
}
