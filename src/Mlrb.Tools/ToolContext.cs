namespace Mlrb.Tools;

/// <summary>What the tools of one run are bound to.</summary>
public sealed record ToolContext
{
    /// <summary>Absolute path of the run's workspace; every path a tool touches must resolve inside it.</summary>
    public required string WorkspacePath { get; init; }

    /// <summary>The run id (used in logs).</summary>
    public string? RunId { get; init; }

    /// <summary>The run's task (e.g. <c>mini_baby_lm</c>); the <c>evaluate</c> tool scores models by it.</summary>
    public string? TaskName { get; init; }

    /// <summary>When the run's wall-clock budget ends; process timeouts never go past it.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The clock used for deadlines; <see cref="TimeProvider.System"/> when not set.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
