namespace Mlrb.Tasks.Storage;

/// <summary>One chat message of a run's transcript.</summary>
public sealed record MessageRecord
{
    /// <summary>Database id (assigned on insert).</summary>
    public long Id { get; init; }

    /// <summary>The run this message belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>Which conversation: <c>supervisor</c>, <c>worker-1</c>, ...</summary>
    public required string Agent { get; init; }

    /// <summary>Chat role: <c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>.</summary>
    public required string Role { get; init; }

    /// <summary>The message as JSON (text, tool calls, tool results).</summary>
    public required string ContentJson { get; init; }

    /// <summary>Input tokens of the call that produced this message (responses only).</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens of the call that produced this message (responses only).</summary>
    public long OutputTokens { get; init; }

    /// <summary>When it was written (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
