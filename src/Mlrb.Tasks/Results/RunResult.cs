using System.Text.Json.Serialization;
using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Results;

/// <summary>One run as the results tables show it.</summary>
public sealed record RunResult
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The task the run worked on.</summary>
    public required string Task { get; init; }

    /// <summary>The agent: the run's label, or <c>provider/model</c>.</summary>
    public required string Agent { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The run's outcome; null while it runs, when it was cancelled, or while its submission awaits evaluation (pending).</summary>
    [JsonConverter(typeof(RunOutcomeJsonConverter))]
    public RunOutcome? Outcome { get; init; }

    /// <summary>Whose failure the outcome is: <c>scored</c>, <c>agent_failure</c> or <c>infrastructure_failure</c>; null when pending.</summary>
    public string? Category { get; init; }

    /// <summary>The outcome's detail: which budget, which rule, what failed.</summary>
    public string? Detail { get; init; }

    /// <summary>The task score of a scored run; null otherwise.</summary>
    public double? Score { get; init; }

    /// <summary>The score the tables count: the score when scored, 0 for every failure, null when pending.</summary>
    public double? CountedScore { get; init; }

    /// <summary>Cost in US dollars, when a price was known.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Working wall time in seconds (the agent's active time when recorded, else end minus start); null while running.</summary>
    public double? WallSeconds { get; init; }
}
