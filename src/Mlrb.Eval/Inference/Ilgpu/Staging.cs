using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>A reusable accelerator buffer for small per-pass tables (grows, never shrinks); counted as workspace.</summary>
/// <typeparam name="T">Element type.</typeparam>
internal sealed class Staging<T>
    where T : unmanaged
{
    private readonly Accelerator _accelerator;
    private readonly DeviceMemoryLedger _ledger;
    private MemoryBuffer1D<T, Stride1D.Dense>? _buffer;

    public Staging(Accelerator accelerator, DeviceMemoryLedger ledger)
    {
        _accelerator = accelerator;
        _ledger = ledger;
    }

    /// <summary>A view of <paramref name="length"/> elements (at least one element is allocated).</summary>
    public ArrayView<T> Reserve(long length)
    {
        if (_buffer is null || _buffer.Length < Math.Max(1, length))
        {
            if (_buffer is not null)
            {
                _ledger.Add(DeviceMemoryKind.Workspace, -_buffer.LengthInBytes);
                _buffer.Dispose();
            }

            _buffer = _accelerator.Allocate1D<T>(Math.Max(Math.Max(1, length), (_buffer?.Length ?? 0) * 2));
            _ledger.Add(DeviceMemoryKind.Workspace, _buffer.LengthInBytes);
        }

        return _buffer.View.SubView(0, length);
    }

    /// <summary>Copies <paramref name="values"/> up (synchronously) and returns their view.</summary>
    public ArrayView<T> Upload(ReadOnlySpan<T> values)
    {
        var view = Reserve(values.Length);
        if (values.Length > 0)
        {
            view.CopyFromCPU(_accelerator.DefaultStream, values);
            _accelerator.DefaultStream.Synchronize();
        }

        return view;
    }
}
