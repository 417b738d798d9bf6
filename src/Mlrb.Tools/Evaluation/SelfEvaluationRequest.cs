namespace Mlrb.Tools.Evaluation;

/// <summary>One <c>evaluate</c> call, as the tool hands it to an <see cref="ISelfEvaluator"/>.</summary>
public sealed record SelfEvaluationRequest
{
    /// <summary>The run's tool context (workspace, run id, task name, deadline).</summary>
    public required ToolContext Context { get; init; }

    /// <summary>Absolute real path of the model folder; it exists and lies inside the workspace.</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The model folder relative to the workspace, '/'-separated, for messages to the agent.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Documents to score per subtask (at least 1).</summary>
    public required int Limit { get; init; }

    /// <summary>Time the scoring may take: the tool's limit, shortened to the run's remaining time.</summary>
    public required TimeSpan Timeout { get; init; }
}
