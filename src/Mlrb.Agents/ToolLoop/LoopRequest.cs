using Microsoft.Extensions.AI;

namespace Mlrb.Agents.ToolLoop;

/// <summary>One worker conversation to drive.</summary>
internal sealed record LoopRequest
{
    /// <summary>The conversation name (<c>worker-3</c>); steps and transcript are filed under it.</summary>
    public required string Agent { get; init; }

    /// <summary>The history so far; the loop appends to it (and compacts it).</summary>
    public required List<ChatMessage> History { get; init; }

    /// <summary>Leading messages never compacted (system prompt, task, plan, subtask).</summary>
    public int Pinned { get; init; } = 2;

    /// <summary>The tools the model may call.</summary>
    public required IReadOnlyList<AITool> Tools { get; init; }

    /// <summary>Most model turns.</summary>
    public required int MaxIterations { get; init; }

    /// <summary>Only <c>return_fn</c> is offered and required (the end-of-budget final submission).</summary>
    public bool FinalSubmission { get; init; }
}
