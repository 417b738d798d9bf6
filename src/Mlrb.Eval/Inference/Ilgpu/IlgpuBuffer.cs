using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>An fp32 buffer of the ILGPU backend: a view of an accelerator allocation (kept alive by every view of it).</summary>
internal sealed class IlgpuBuffer : DeviceBuffer
{
    private readonly DeviceAllocation _allocation;

    private IlgpuBuffer(DeviceAllocation allocation, ArrayView<float> view)
    {
        _allocation = allocation;
        View = view;
    }

    /// <summary>The elements.</summary>
    public ArrayView<float> View { get; }

    /// <inheritdoc/>
    public override long Length => View.Length;

    /// <summary>A new buffer of <paramref name="length"/> elements counted under <paramref name="kind"/>.</summary>
    public static IlgpuBuffer Allocate(Accelerator accelerator, DeviceMemoryLedger ledger, DeviceMemoryKind kind, long length)
    {
        var allocation = new DeviceAllocation(accelerator.Allocate1D<float>(Math.Max(1, length)), ledger, kind);
        return new IlgpuBuffer(allocation, allocation.View.SubView(0, length));
    }

    /// <inheritdoc/>
    public override DeviceBuffer Slice(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"slice [{offset}, {offset + length}) is outside a buffer of {Length} elements.");
        }

        return new IlgpuBuffer(_allocation, View.SubView(offset, length));
    }

    /// <summary>The ILGPU buffer behind a handle.</summary>
    public static IlgpuBuffer Of(DeviceBuffer buffer)
        => buffer as IlgpuBuffer ?? throw new ArgumentException($"a {buffer.GetType().Name} is not an ILGPU buffer; buffers cannot be shared between backends.", nameof(buffer));
}
