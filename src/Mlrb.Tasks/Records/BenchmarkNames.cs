namespace Mlrb.Tasks;

/// <summary>The benchmark names the built-in tasks use in <see cref="BenchmarkSpec.Name"/>.</summary>
public static class BenchmarkNames
{
    /// <summary>BLiMP, 67 minimal-pair paradigms (lm-eval task <c>blimp</c>).</summary>
    public const string Blimp = "blimp";

    /// <summary>SuperGLUE's eight tasks (lm-eval tag <c>super-glue-lm-eval-v1</c>).</summary>
    public const string SuperGlue = "super_glue";

    /// <summary>MMLU, 57 subjects in four categories (lm-eval task <c>mmlu</c>).</summary>
    public const string Mmlu = "mmlu";

    /// <summary>MathQA (lm-eval task <c>mathqa</c>).</summary>
    public const string MathQa = "mathqa";

    /// <summary>BLEU between generated and reference text on held-out rows of the task's dataset.</summary>
    public const string Bleu = "bleu";

    /// <summary>ROUGE-L between generated and reference text on held-out rows of the task's dataset.</summary>
    public const string RougeL = "rouge_l";

    /// <summary>Share of generated Lean 3 proofs that compile (needs a Lean checker; the reference had none).</summary>
    public const string LeanPassRate = "lean3_pass_rate";
}
