namespace Mlrb.Eval.Benchmarks;

/// <summary>The benchmarks Mlrb scores models on.</summary>
public enum BenchmarkKind
{
    /// <summary>BLiMP: 67 minimal-pair paradigms, mean accuracy.</summary>
    Blimp,

    /// <summary>SuperGLUE: the harness's eight tasks, mean of the eight.</summary>
    SuperGlue,

    /// <summary>MMLU: 57 subjects in four categories.</summary>
    Mmlu,

    /// <summary>MathQA: five-way multiple-choice math word problems (the harness's <c>mathqa</c> task; acc and acc_norm).</summary>
    MathQa,

    /// <summary>Generated text scored with BLEU, ROUGE-L and a Lean pass rate (math_reasoning).</summary>
    TextGeneration,
}
