namespace Mlrb.Cli.Commands.Scoring;

/// <summary>How a run's submission is scored (from <c>mlrb run</c> or <c>mlrb eval --run</c>).</summary>
internal sealed record ScoringSettings
{
    /// <summary>The benchmark data folder.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Folders of task files, for runs of custom tasks.</summary>
    public IReadOnlyList<string> TaskDirectories { get; init; } = [];

    /// <summary>Wall-clock limit of the evaluation child.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Memory limit of the evaluation child; null derives it from the task's device-memory limit.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Score only the first N documents per subtask (quick checks; the stored score says so).</summary>
    public int? Limit { get; init; }

    /// <summary>CPU threads for the engine.</summary>
    public int? Threads { get; init; }
}
