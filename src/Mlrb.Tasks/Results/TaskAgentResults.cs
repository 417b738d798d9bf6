namespace Mlrb.Tasks.Results;

/// <summary>
/// One row of the results table: every run of one agent on one task. Failed runs count as 0 in <see cref="MeanScore"/>
/// (the paper's Tables 4–5); <see cref="MeanScoredScore"/> averages the scored runs only (the paper's Figure 1,
/// "average successful performance"). Pending runs (running, cancelled, awaiting evaluation) are counted in
/// <see cref="Runs"/> and <see cref="Pending"/> but in no mean.
/// </summary>
public sealed record TaskAgentResults
{
    /// <summary>The task.</summary>
    public required string Task { get; init; }

    /// <summary>The agent: a run label, or <c>provider/model</c>.</summary>
    public required string Agent { get; init; }

    /// <summary>All runs, pending ones included.</summary>
    public int Runs { get; init; }

    /// <summary>Runs with an outcome (scored or failed): the n of the means.</summary>
    public int Finished { get; init; }

    /// <summary>Runs without an outcome yet: running, cancelled, or awaiting evaluation.</summary>
    public int Pending { get; init; }

    /// <summary>Scored runs.</summary>
    public int Scored { get; init; }

    /// <summary>Failed runs by outcome name (<c>no_submission</c>, <c>budget_exhausted</c>, ...); every failure outcome is present, zeros included.</summary>
    public required IReadOnlyDictionary<string, int> Failures { get; init; }

    /// <summary>Failures that are the agent's own (no submission, budget, invalid submission, agent error).</summary>
    public int AgentFailures { get; init; }

    /// <summary>Failures of the infrastructure (provider, sandbox, evaluator).</summary>
    public int InfrastructureFailures { get; init; }

    /// <summary>Mean score over finished runs, failures as 0; null when no run finished.</summary>
    public double? MeanScore { get; init; }

    /// <summary>Standard error of <see cref="MeanScore"/> (sample standard deviation / √n); null for fewer than 2 finished runs.</summary>
    public double? StandardError { get; init; }

    /// <summary>Mean score over scored runs only ("average successful performance"); null when none scored.</summary>
    public double? MeanScoredScore { get; init; }

    /// <summary>Standard error of <see cref="MeanScoredScore"/>; null for fewer than 2 scored runs.</summary>
    public double? StandardErrorScored { get; init; }

    /// <summary>The best score; null when none scored.</summary>
    public double? BestScore { get; init; }

    /// <summary>The run with the best score (the earliest on a tie).</summary>
    public string? BestRunId { get; init; }

    /// <summary>Summed cost in US dollars over the runs whose cost is known; null when none is.</summary>
    public decimal? TotalCostUsd { get; init; }

    /// <summary><see cref="TotalCostUsd"/> divided by the number of runs whose cost is known.</summary>
    public decimal? MeanCostUsd { get; init; }

    /// <summary>Summed input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Summed output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Summed input and output tokens divided by <see cref="Runs"/>.</summary>
    public double MeanTokens { get; init; }

    /// <summary>Summed wall time in seconds of the runs that ended.</summary>
    public double TotalWallSeconds { get; init; }

    /// <summary>Mean wall time in seconds of the runs that ended; null when none has.</summary>
    public double? MeanWallSeconds { get; init; }
}
