using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Middleware;

namespace Mlrb.Agents.Replay;

/// <summary>
/// Plays a <see cref="ReplayScript"/> back as an <see cref="IChatClient"/>: each call gets the next scripted turn of
/// the asking agent (from <see cref="AgentCallScope"/>), else the next turn meant for any worker. Thread-safe.
/// </summary>
internal sealed class ReplayChatClient : IChatClient
{
    private const string AnyWorker = "";

    private readonly Dictionary<string, Queue<ReplayTurn>> _queues = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ChatClientMetadata _metadata;
    private int _generatedIds;

    /// <summary>Creates the client.</summary>
    /// <param name="script">The script.</param>
    public ReplayChatClient(ReplayScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        foreach (var turn in script.Turns)
        {
            var key = turn.Agent is null or "" or "*" or "worker" ? AnyWorker : turn.Agent;
            if (!_queues.TryGetValue(key, out var queue))
            {
                _queues[key] = queue = new Queue<ReplayTurn>();
            }

            queue.Enqueue(turn);
        }

        _metadata = new ChatClientMetadata("replay", null, "replay");
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var agent = AgentCallScope.Current?.Agent ?? AnyWorker;
        ReplayTurn? turn;
        lock (_gate)
        {
            turn = Next(agent) ?? (agent == ReplayScript.SupervisorAgent ? null : Next(AnyWorker));
        }

        if (turn is null)
        {
            return Task.FromResult(Text(agent == ReplayScript.SupervisorAgent ? DefaultSupervisorReply(options) : "The replay script has no more turns.", 0, 0));
        }

        if (turn.ToolCalls.Count == 0)
        {
            return Task.FromResult(Text(turn.Text ?? "", turn.InputTokens, turn.OutputTokens));
        }

        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(turn.Text))
        {
            contents.Add(new TextContent(turn.Text));
        }

        foreach (var call in turn.ToolCalls)
        {
            var arguments = call.Arguments.ValueKind == JsonValueKind.Object
                ? call.Arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
                : [];
            contents.Add(new FunctionCallContent(call.Id ?? ReplayScript.NewCallId(Interlocked.Increment(ref _generatedIds)), call.Name, arguments));
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = "replay",
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = Usage(turn.InputTokens, turn.OutputTokens),
        });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private ReplayTurn? Next(string key) => _queues.TryGetValue(key, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;

    private static string DefaultSupervisorReply(ChatOptions? options) =>
        options?.ResponseFormat is ChatResponseFormatJson { SchemaName: "review" }
            ? """{"verdict":"accept","notes":"replay: no scripted review"}"""
            : """{"rationale":"Replay of a scripted or recorded run.","steps":[{"id":1,"title":"Replay the script","instruction":"Carry out the scripted actions and submit the result with return_fn.","dependsOn":[]}]}""";

    private static ChatResponse Text(string text, long input, long output) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        ModelId = "replay",
        FinishReason = ChatFinishReason.Stop,
        Usage = Usage(input, output),
    };

    private static UsageDetails Usage(long input, long output) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
}
