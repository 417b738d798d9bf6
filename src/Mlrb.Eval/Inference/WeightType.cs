namespace Mlrb.Eval.Inference;

/// <summary>The element type weights are stored in (safetensors <c>F32</c>, <c>F16</c>, <c>BF16</c>).</summary>
internal enum WeightType
{
    /// <summary>IEEE fp32.</summary>
    F32,

    /// <summary>IEEE fp16.</summary>
    F16,

    /// <summary>bfloat16 (the upper half of an fp32).</summary>
    BF16,
}
