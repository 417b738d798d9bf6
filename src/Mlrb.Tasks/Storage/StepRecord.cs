namespace Mlrb.Tasks.Storage;

/// <summary>One step of a run: a plan, a tool call, a review or a note.</summary>
public sealed record StepRecord
{
    /// <summary>Database id (assigned on insert).</summary>
    public long Id { get; init; }

    /// <summary>The run this step belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>Who acted: <c>supervisor</c>, <c>worker-1</c>, ...</summary>
    public required string Agent { get; init; }

    /// <summary>What kind of step: <c>plan</c>, <c>tool</c>, <c>review</c>, <c>submission</c>, <c>note</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Tool name for tool steps.</summary>
    public string? Tool { get; init; }

    /// <summary>The model's tool-call id, used to find completed calls when a run resumes.</summary>
    public string? CallId { get; init; }

    /// <summary>Arguments as JSON.</summary>
    public string? ArgumentsJson { get; init; }

    /// <summary>Status.</summary>
    public StepStatus Status { get; init; } = StepStatus.Started;

    /// <summary>Head and tail of the output (capped).</summary>
    public string? OutputExcerpt { get; init; }

    /// <summary>Head and tail of the error output (capped).</summary>
    public string? ErrorExcerpt { get; init; }

    /// <summary>Input tokens spent on the model call that produced this step.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens spent on the model call that produced this step.</summary>
    public long OutputTokens { get; init; }

    /// <summary>When the step began (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the step finished, if it has.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
