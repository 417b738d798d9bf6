namespace Mlrb.Agents;

/// <summary>A snapshot of a running agent, reported after every step for live progress displays.</summary>
public sealed record AgentProgress
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>Steps recorded so far (plans, tool calls, reviews).</summary>
    public required int Step { get; init; }

    /// <summary>Who is acting: <c>supervisor</c>, <c>worker-2</c>, ...</summary>
    public required string Agent { get; init; }

    /// <summary>What is happening, in words (<c>planning</c>, <c>tool run_python</c>, <c>reviewing subtask 3</c>).</summary>
    public required string Activity { get; init; }

    /// <summary>The tool being called, for tool steps.</summary>
    public string? Tool { get; init; }

    /// <summary>Wall-clock time used.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Wall-clock time left.</summary>
    public required TimeSpan Remaining { get; init; }

    /// <summary>Input tokens so far, as the APIs reported them.</summary>
    public required long InputTokens { get; init; }

    /// <summary>Output tokens so far, as the APIs reported them.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>Cost so far in US dollars, when prices are configured.</summary>
    public decimal? CostUsd { get; init; }
}
