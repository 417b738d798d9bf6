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
    /// <remarks>
    /// Allocations are freed when no view of them is reachable (by the finaliser), and the garbage collector does not see device memory:
    /// when the accelerator refuses an allocation, unreachable buffers are collected and finalised and the allocation is tried once more.
    /// </remarks>
    public static IlgpuBuffer Allocate(Accelerator accelerator, DeviceMemoryLedger ledger, DeviceMemoryKind kind, long length)
    {
        MemoryBuffer1D<float, Stride1D.Dense> memory;
        try
        {
            memory = accelerator.Allocate1D<float>(Math.Max(1, length));
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            memory = accelerator.Allocate1D<float>(Math.Max(1, length));
        }

        var allocation = new DeviceAllocation(memory, ledger, kind);
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
