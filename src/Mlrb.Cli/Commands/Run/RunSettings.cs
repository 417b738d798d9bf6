using Mlrb.Agents;

namespace Mlrb.Cli.Commands.Run;

/// <summary>The parsed <c>mlrb run</c> command line.</summary>
internal sealed record RunSettings
{
    public string? Task { get; init; }

    public ChatProvider Provider { get; init; }

    public string? Model { get; init; }

    public string? TranscriptPath { get; init; }

    public string? Label { get; init; }

    /// <summary>The agent's Python (an interpreter path or name) from <c>--python</c>; null for the tools' default.</summary>
    public string? PythonExecutable { get; init; }

    public Uri? Endpoint { get; init; }

    public ChatProvider? PlannerProvider { get; init; }

    public string? PlannerModel { get; init; }

    public Uri? PlannerEndpoint { get; init; }

    public TimeSpan? TimeLimit { get; init; }

    public required string WorkDirectory { get; init; }

    public required string DatabasePath { get; init; }

    public string? ResumeRunId { get; init; }

    public string? RunId { get; init; }

    public long? MaxTokens { get; init; }

    public decimal? MaxCostUsd { get; init; }

    public int ParallelWorkers { get; init; } = 1;

    public int? MaxIterations { get; init; }

    public string? ResultPath { get; init; }

    public bool Json { get; init; }

    /// <summary>The limit flags given (null or empty members: not given; the task's compute budget fills them).</summary>
    public Mlrb.Tools.ProcessLimits? LimitFlags { get; init; }

    public IReadOnlyDictionary<string, ModelPrice> Prices { get; init; } = new Dictionary<string, ModelPrice>();
}
