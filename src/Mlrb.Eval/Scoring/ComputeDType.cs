namespace Mlrb.Eval.Scoring;

/// <summary>The arithmetic of the engine's matrix products (<c>--dtype</c>).</summary>
public enum ComputeDType
{
    /// <summary>fp32 throughout (default): fp16/bf16 weights are widened exactly, so results match an fp32 reference within float tolerance.</summary>
    Fp32,

    /// <summary>
    /// bf16 inputs with fp32 accumulation (opt-in): weights are stored as bf16 (fp32 checkpoints are rounded at load, halving their memory) and
    /// activations are rounded to bf16 before each matrix product. On CPUs without AVX512_BF16 the bf16 values are widened to fp32 for the
    /// product, so this saves memory rather than time. Not bit-comparable with fp32 or with PyTorch's bf16.
    /// </summary>
    Bf16,
}
