namespace Mlrb.Cli.Commands.Scoring;

/// <summary>How the evaluation child process ended.</summary>
internal sealed record EvalChildResult
{
    public int? ExitCode { get; init; }

    public string Stdout { get; init; } = "";

    public string StderrTail { get; init; } = "";

    public bool TimedOut { get; init; }

    public long? MemoryExceededBytes { get; init; }

    public string? StartError { get; init; }
}
