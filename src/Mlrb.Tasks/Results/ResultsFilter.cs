namespace Mlrb.Tasks.Results;

/// <summary>Which runs a results table covers. Every criterion given must match; null criteria match everything.</summary>
public sealed record ResultsFilter
{
    /// <summary>Only runs of this task (exact name, case-insensitive), e.g. <c>mini_baby_lm</c>.</summary>
    public string? Task { get; init; }

    /// <summary>Only runs of this agent (its <see cref="ResultsLedger.AgentName"/>, case-insensitive): a label or <c>provider/model</c>.</summary>
    public string? Agent { get; init; }

    /// <summary>Only these run ids (e.g. the runs one <c>mlrb bench</c> started).</summary>
    public IReadOnlyCollection<string>? RunIds { get; init; }
}
