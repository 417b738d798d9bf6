using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>What the run page shows: the run, one page of steps and transcript, every step's timing (for the chart), evaluations.</summary>
internal sealed record RunPageData
{
    /// <summary>The run.</summary>
    public required RunRecord Run { get; init; }

    /// <summary>Every step (the chart and the plan list use them all; the table shows <see cref="StepPage"/>).</summary>
    public required IReadOnlyList<StepRecord> AllSteps { get; init; }

    /// <summary>Index of the steps page shown (0-based); -1 shows all.</summary>
    public int StepPage { get; init; } = -1;

    /// <summary>Transcript messages shown.</summary>
    public required IReadOnlyList<MessageRecord> Messages { get; init; }

    /// <summary>Total transcript messages.</summary>
    public int MessageCount { get; init; }

    /// <summary>Index of the transcript page shown (0-based); -1 when all are shown.</summary>
    public int MessagePage { get; init; } = -1;

    /// <summary>Evaluations of the submission, oldest first.</summary>
    public required IReadOnlyList<EvaluationRecord> Evaluations { get; init; }
}
