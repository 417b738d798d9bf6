using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// A linear layer resident on an ILGPU accelerator: <c>[Outputs, Inputs]</c> row-major in <see cref="StorageType"/> (fp32 in
/// <see cref="Single"/>, fp16/bf16 as raw 16-bit patterns in <see cref="Bits"/>; the other view is a one-element placeholder) and an optional fp32 bias.
/// </summary>
internal sealed class DeviceMatrix : LinearWeights
{
    private readonly MemoryBuffer? _storage;
    private readonly MemoryBuffer? _biasStorage;

    public DeviceMatrix(int inputs, int outputs, WeightType type, ArrayView<float> single, ArrayView<ushort> bits, ArrayView<float>? bias, MemoryBuffer? storage, MemoryBuffer? biasStorage)
    {
        Inputs = inputs;
        Outputs = outputs;
        StorageType = type;
        Single = single;
        Bits = bits;
        Bias = bias;
        _storage = storage;
        _biasStorage = biasStorage;
    }

    /// <inheritdoc/>
    public override int Inputs { get; }

    /// <inheritdoc/>
    public override int Outputs { get; }

    /// <inheritdoc/>
    public override WeightType StorageType { get; }

    /// <inheritdoc/>
    public override long Bytes => (_storage?.LengthInBytes ?? 0) + (_biasStorage?.LengthInBytes ?? 0);

    /// <summary>fp32 weights (when <see cref="StorageType"/> is F32).</summary>
    public ArrayView<float> Single { get; }

    /// <summary>fp16/bf16 bit patterns (otherwise).</summary>
    public ArrayView<ushort> Bits { get; }

    /// <summary>The bias, <c>[Outputs]</c>, or null.</summary>
    public ArrayView<float>? Bias { get; }

    /// <summary>The element-type code the kernels take: 0 fp32, 1 fp16, 2 bf16.</summary>
    public int TypeCode => (int)StorageType;
}
