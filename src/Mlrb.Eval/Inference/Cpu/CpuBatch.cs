namespace Mlrb.Eval.Inference.Cpu;

/// <summary>A forward batch as the CPU backend reads it: host arrays.</summary>
internal sealed class CpuBatch : DeviceBatch
{
    public CpuBatch(ForwardBatch batch, int[] positions, float[] cos, float[] sin)
        : base(batch, positions)
    {
        Cos = cos;
        Sin = sin;
    }

    /// <summary>Rotary cos per token, <c>[tokens, rotaryDims/2]</c>.</summary>
    public float[] Cos { get; }

    /// <summary>Rotary sin per token.</summary>
    public float[] Sin { get; }
}
