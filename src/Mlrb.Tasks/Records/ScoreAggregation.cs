namespace Mlrb.Tasks;

/// <summary>How the per-subtask results of a task's benchmarks are combined into the task score.</summary>
public enum ScoreAggregation
{
    /// <summary>Unweighted mean over the subtasks (BLiMP's 67 paradigms, SuperGLUE's 8 tasks).</summary>
    MeanOverSubtasks,

    /// <summary>
    /// Mean over category means: each category is the mean of its subjects, the score the mean of the categories
    /// (the paper's MMLU formula over humanities, other, social sciences and STEM).
    /// </summary>
    MeanOverCategoryMeans,

    /// <summary>Each metric is reported on its own; no single number (math reasoning: BLEU, ROUGE-L, pass rate).</summary>
    ReportEach,

    /// <summary>
    /// The unweighted mean of the task's metrics, each on a 0–1 scale (math reasoning: (BLEU/100 + ROUGE-L F1 + Lean pass
    /// rate) / 3).
    /// </summary>
    MeanOfMetrics,
}
