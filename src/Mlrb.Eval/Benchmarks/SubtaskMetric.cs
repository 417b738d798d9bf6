namespace Mlrb.Eval.Benchmarks;

/// <summary>The metrics a subtask reports.</summary>
internal enum SubtaskMetric
{
    /// <summary><c>acc</c> only.</summary>
    Accuracy,

    /// <summary><c>acc</c> and CB's macro <c>f1</c>.</summary>
    AccuracyAndMacroF1,

    /// <summary><c>acc</c> and <c>acc_norm</c> (log-likelihood divided by the choice's length in characters).</summary>
    AccuracyAndNormalizedAccuracy,

    /// <summary>ReCoRD's max-over-answers SQuAD <c>f1</c> and <c>em</c>.</summary>
    SquadF1AndExactMatch,
}
