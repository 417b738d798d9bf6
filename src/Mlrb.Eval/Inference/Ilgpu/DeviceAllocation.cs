using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// One fp32 accelerator allocation counted in a <see cref="DeviceMemoryLedger"/>; freed (and uncounted) when no view of it is reachable.
/// </summary>
internal sealed class DeviceAllocation
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _buffer;
    private readonly DeviceMemoryLedger _ledger;
    private readonly DeviceMemoryKind _kind;

    public DeviceAllocation(MemoryBuffer1D<float, Stride1D.Dense> buffer, DeviceMemoryLedger ledger, DeviceMemoryKind kind)
    {
        _buffer = buffer;
        _ledger = ledger;
        _kind = kind;
        ledger.Add(kind, buffer.LengthInBytes);

        // Tell the collector what an unreachable view keeps alive, so device memory is reclaimed about as eagerly as host memory.
        GC.AddMemoryPressure(buffer.LengthInBytes);
    }

    ~DeviceAllocation()
    {
        _ledger.Add(_kind, -_buffer.LengthInBytes);
        GC.RemoveMemoryPressure(_buffer.LengthInBytes);
        try
        {
            _buffer.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // The accelerator went first; its memory is gone with it.
        }
    }

    /// <summary>The whole allocation.</summary>
    public ArrayView<float> View => _buffer.View;
}
