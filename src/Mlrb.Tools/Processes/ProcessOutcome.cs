namespace Mlrb.Tools.Processes;

/// <summary>How a child process ended, with its capped output.</summary>
internal sealed record ProcessOutcome
{
    /// <summary>Exit code; null when it was killed or never started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether it ran past its timeout and was killed.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Whether the caller cancelled it.</summary>
    public bool Cancelled { get; init; }

    /// <summary>Capped stdout.</summary>
    public string Stdout { get; init; } = "";

    /// <summary>Capped stderr, plus notes from the sandbox (timeouts, limits).</summary>
    public string Stderr { get; init; } = "";

    /// <summary>Whether either stream was cut.</summary>
    public bool Truncated { get; init; }

    /// <summary>Workspace-relative log path.</summary>
    public string? LogPath { get; init; }

    /// <summary>Why it could not start; null when it ran.</summary>
    public string? StartError { get; init; }

    /// <summary>The limits that were in force (control group, resource limits, sandbox, GPUs).</summary>
    public string? LimitsInForce { get; init; }

    /// <summary>The timeout that applied.</summary>
    public TimeSpan Timeout { get; init; }
}
