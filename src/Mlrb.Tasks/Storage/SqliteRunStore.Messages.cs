using Microsoft.Data.Sqlite;

namespace Mlrb.Tasks.Storage;

internal sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    public Task<long> AddMessageAsync(MessageRecord message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WithConnectionAsync(
            async connection =>
            {
                using var command = Command(
                    connection,
                    """
                    INSERT INTO messages (run_id, agent, role, content_json, input_tokens, output_tokens, created_at)
                    VALUES ($run, $agent, $role, $content, $in, $out, $created);
                    SELECT last_insert_rowid();
                    """,
                    ("$run", message.RunId),
                    ("$agent", message.Agent),
                    ("$role", message.Role),
                    ("$content", message.ContentJson),
                    ("$in", message.InputTokens),
                    ("$out", message.OutputTokens),
                    ("$created", SqliteValues.ToText(message.CreatedAt)));
                return await InsertAsync(command, "message", message.RunId, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MessageRecord>> GetMessagesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync<IReadOnlyList<MessageRecord>>(
            async connection =>
            {
                using var command = Command(
                    connection,
                    $"SELECT {StoreRows.MessageColumns} FROM messages WHERE run_id = $run ORDER BY id",
                    ("$run", runId));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var messages = new List<MessageRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    messages.Add(StoreRows.ReadMessage(reader));
                }

                return messages;
            },
            cancellationToken);
    }
}
