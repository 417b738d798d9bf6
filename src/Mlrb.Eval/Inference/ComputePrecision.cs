namespace Mlrb.Eval.Inference;

/// <summary>The arithmetic of matrix products.</summary>
internal enum ComputePrecision
{
    /// <summary>
    /// fp32 throughout (default). fp16/bf16 weights stay resident in their dtype and are widened to fp32 tile by tile,
    /// which is exact, so results match an fp32 reference.
    /// </summary>
    Float32,

    /// <summary>
    /// bf16 inputs with fp32 accumulation: weights are stored as bf16 (fp32 checkpoints are rounded at load) and activations are
    /// rounded to bf16 before each matrix product. Faster where bf16 dot-product hardware exists, smaller in memory; not bit-comparable with fp32.
    /// </summary>
    BFloat16,
}
