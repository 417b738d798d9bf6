namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// Which split of a benchmark's data is scored. The final score of a run uses <see cref="Test"/>; the agent's
/// <c>evaluate</c> tool uses <see cref="Validation"/>, so it never sees held-out test data where a benchmark has a
/// separate validation split (MMLU <c>val</c>, MathQA <c>dev</c>). BLiMP has a single split and the harness scores
/// SuperGLUE on its validation split, so for those two both values read the same files.
/// </summary>
public enum EvaluationSplit
{
    /// <summary>The split the harness reports (MMLU test, MathQA test, SuperGLUE validation, BLiMP's only split).</summary>
    Test,

    /// <summary>A split for self-checks: MMLU <c>val</c>, MathQA <c>dev</c>/<c>validation</c>; the same files as <see cref="Test"/> for BLiMP and SuperGLUE.</summary>
    Validation,
}
