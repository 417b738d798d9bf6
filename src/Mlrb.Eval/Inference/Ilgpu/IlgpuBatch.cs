using ILGPU;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>A forward batch on an ILGPU accelerator: tokens, positions, rotary rows and output rows uploaded once per pass.</summary>
internal sealed class IlgpuBatch : DeviceBatch
{
    public IlgpuBatch(ForwardBatch batch, int[] positions, ArrayView<int> tokens, ArrayView<int> devicePositions, ArrayView<int> outputRows, ArrayView<float> cos, ArrayView<float> sin)
        : base(batch, positions)
    {
        Tokens = tokens;
        DevicePositions = devicePositions;
        OutputRows = outputRows;
        Cos = cos;
        Sin = sin;
    }

    /// <summary>Token ids.</summary>
    public ArrayView<int> Tokens { get; }

    /// <summary>Absolute positions.</summary>
    public ArrayView<int> DevicePositions { get; }

    /// <summary>Rows whose hidden states are wanted.</summary>
    public ArrayView<int> OutputRows { get; }

    /// <summary>Rotary cos rows, <c>[tokens, rotaryDims/2]</c>.</summary>
    public ArrayView<float> Cos { get; }

    /// <summary>Rotary sin rows.</summary>
    public ArrayView<float> Sin { get; }
}
