namespace Mlrb.Tasks;

/// <summary>A numeric format in which a submitted model's weights may be stored.</summary>
public enum WeightPrecision
{
    /// <summary>IEEE 754 single precision (FP32).</summary>
    Fp32,

    /// <summary>IEEE 754 half precision (FP16).</summary>
    Fp16,

    /// <summary>Brain floating point (BF16).</summary>
    Bf16,

    /// <summary>8-bit integer quantization.</summary>
    Q8,

    /// <summary>4-bit integer quantization.</summary>
    Q4,
}
