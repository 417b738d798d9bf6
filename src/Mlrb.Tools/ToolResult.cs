using Mlrb.Tasks.Runs;

namespace Mlrb.Tools;

/// <summary>The typed outcome of one tool call.</summary>
public sealed record ToolResult
{
    /// <summary>The tool that ran.</summary>
    public required string Tool { get; init; }

    /// <summary>Success, failure or time-out.</summary>
    public required ToolStatus Status { get; init; }

    /// <summary>Standard output (or the tool's main answer), capped for the model.</summary>
    public string Stdout { get; init; } = "";

    /// <summary>Standard error (or the failure message), capped for the model.</summary>
    public string Stderr { get; init; } = "";

    /// <summary>Exit code of the child process, for process tools.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether stdout or stderr was cut to fit the cap.</summary>
    public bool Truncated { get; init; }

    /// <summary>The typed submission, set only by <c>return_fn</c>.</summary>
    public Submission? Submission { get; init; }
}
