using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Middleware;

/// <summary>
/// Writes every request message not yet stored, and every response message, to the run store's transcript
/// under the current <see cref="AgentCallScope"/>. Stored messages are marked (their <see cref="ChatMessage.MessageId"/>
/// starts with <see cref="StoredPrefix"/>) so a growing history is written once, not once per call.
/// </summary>
internal sealed class TranscriptChatClient : DelegatingChatClient
{
    /// <summary>Prefix of the message id of stored messages.</summary>
    public const string StoredPrefix = "mlrb:";

    /// <summary>Message id of generated messages that must never be stored (history summaries).</summary>
    public const string TransientId = "mlrb:transient";

    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly IRunStore _store;
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The next client.</param>
    /// <param name="store">Where the transcript goes.</param>
    /// <param name="time">The clock for timestamps.</param>
    public TranscriptChatClient(IChatClient inner, IRunStore store, TimeProvider time)
        : base(inner)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Serializes a message the way the transcript stores it.</summary>
    /// <param name="message">The message.</param>
    /// <returns>JSON.</returns>
    public static string Serialize(ChatMessage message) => JsonSerializer.Serialize(message, Json);

    /// <summary>Reads a stored message back.</summary>
    /// <param name="record">The stored row.</param>
    /// <returns>The message, marked as stored.</returns>
    public static ChatMessage Deserialize(MessageRecord record)
    {
        var message = JsonSerializer.Deserialize<ChatMessage>(record.ContentJson, Json)
            ?? throw new InvalidDataException($"Transcript message {record.Id} of run {record.RunId} is empty.");
        message.MessageId = StoredPrefix + record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return message;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var scope = AgentCallScope.Current;
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        if (scope is not null)
        {
            foreach (var message in list)
            {
                if (message.MessageId?.StartsWith(StoredPrefix, StringComparison.Ordinal) != true)
                {
                    await StoreAsync(scope, message, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        if (scope is not null)
        {
            var usage = response.Usage;
            foreach (var message in response.Messages)
            {
                // Usage belongs to the call, so it is written once, on the first message of the response.
                await StoreAsync(scope, message, usage, CancellationToken.None).ConfigureAwait(false);
                usage = null;
            }
        }

        return response;
    }

    private async Task StoreAsync(AgentCallScope scope, ChatMessage message, UsageDetails? usage, CancellationToken cancellationToken)
    {
        var id = await _store.AddMessageAsync(
            new MessageRecord
            {
                RunId = scope.RunId,
                Agent = scope.Agent,
                Role = message.Role.Value,
                ContentJson = Serialize(message),
                InputTokens = usage?.InputTokenCount ?? 0,
                OutputTokens = usage?.OutputTokenCount ?? 0,
                CreatedAt = _time.GetUtcNow(),
            },
            cancellationToken).ConfigureAwait(false);
        message.MessageId = StoredPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
