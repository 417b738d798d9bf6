using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>One transformer block's weights. GPT-2: LayerNorm (with bias) and a GELU MLP; Llama: RMSNorm and SwiGLU (gate and up fused in <see cref="Up"/>).</summary>
internal sealed class DecoderLayer
{
    public required float[] Norm1Weight { get; init; }

    public float[]? Norm1Bias { get; init; }

    /// <summary>Query, key and value projections fused: <c>[hidden] → [qDim + 2·kvDim]</c>.</summary>
    public required PackedMatrix Qkv { get; init; }

    public required PackedMatrix Output { get; init; }

    public required float[] Norm2Weight { get; init; }

    public float[]? Norm2Bias { get; init; }

    /// <summary>GPT-2 <c>c_fc</c> (<c>[hidden] → [inner]</c>) or Llama gate and up fused (<c>[hidden] → [2·intermediate]</c>).</summary>
    public required PackedMatrix Up { get; init; }

    public required PackedMatrix Down { get; init; }
}
