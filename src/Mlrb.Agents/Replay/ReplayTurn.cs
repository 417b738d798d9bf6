using System.Text.Json;

namespace Mlrb.Agents.Replay;

/// <summary>One assistant turn of a replay script: text and/or tool calls, for one agent of the run (or any worker).</summary>
public sealed record ReplayTurn
{
    /// <summary>
    /// Which conversation the turn answers: <c>supervisor</c> (plans and reviews), a worker such as <c>worker-2</c>, or
    /// null for whichever worker asks next.
    /// </summary>
    public string? Agent { get; init; }

    /// <summary>The assistant's text (for the supervisor: the JSON plan or review), if any.</summary>
    public string? Text { get; init; }

    /// <summary>The tool calls of the turn, in order.</summary>
    public IReadOnlyList<ReplayToolCall> ToolCalls { get; init; } = [];

    /// <summary>Input tokens the recorded call used (0 for hand-written scripts).</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens the recorded call used (0 for hand-written scripts).</summary>
    public long OutputTokens { get; init; }
}

/// <summary>One tool call of a <see cref="ReplayTurn"/>.</summary>
/// <param name="Id">The call id; generated when the script gives none.</param>
/// <param name="Name">The tool, e.g. <c>run_python</c>.</param>
/// <param name="Arguments">The arguments object.</param>
public sealed record ReplayToolCall(string? Id, string Name, JsonElement Arguments);
