using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.ToolCalls;

/// <summary>
/// The typed end of one tool call as an agent sees it: the status, the text the model reads, and the submission when
/// the tool was <c>return_fn</c>. The agent decides success or failure from <see cref="Status"/>, never from the text.
/// </summary>
public sealed record ToolOutcome
{
    /// <summary>The tool that ran.</summary>
    public required string Tool { get; init; }

    /// <summary>How the call ended.</summary>
    public required ToolStatus Status { get; init; }

    /// <summary>The text sent back to the model (already capped by the tool).</summary>
    public required string Text { get; init; }

    /// <summary>The typed submission, set only by a successful <c>return_fn</c>.</summary>
    public Submission? Submission { get; init; }

    /// <summary>Whether the call succeeded.</summary>
    public bool IsSuccess => Status == ToolStatus.Success;
}
