using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>An fp32 buffer of the CPU backend: a view of an array on the pinned object heap, so its address never moves.</summary>
internal sealed unsafe class CpuBuffer : DeviceBuffer
{
    private readonly float[] _array;
    private readonly long _offset;
    private readonly long _length;

    private CpuBuffer(float[] array, long offset, long length)
    {
        _array = array;
        _offset = offset;
        _length = length;
    }

    /// <inheritdoc/>
    public override long Length => _length;

    /// <summary>The first element.</summary>
    public float* Pointer => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) + _offset;

    /// <summary>The elements as a span (buffers up to 2³¹ − 1 elements).</summary>
    public Span<float> Span => new(Pointer, checked((int)_length));

    /// <summary>A new buffer of <paramref name="length"/> elements, contents undefined.</summary>
    public static CpuBuffer Allocate(long length)
        => new(GC.AllocateUninitializedArray<float>(checked((int)Math.Max(1, length)), pinned: true), 0, length);

    /// <inheritdoc/>
    public override DeviceBuffer Slice(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"slice [{offset}, {offset + length}) is outside a buffer of {_length} elements.");
        }

        return new CpuBuffer(_array, _offset + offset, length);
    }

    /// <summary>Elements <c>[offset, offset + count)</c> as a span.</summary>
    public Span<float> Range(long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"range [{offset}, {offset + count}) is outside a buffer of {_length} elements.");
        }

        return new Span<float>(Pointer + offset, count);
    }

    /// <summary>The CPU buffer behind a handle.</summary>
    public static CpuBuffer Of(DeviceBuffer buffer)
        => buffer as CpuBuffer ?? throw new ArgumentException($"a {buffer.GetType().Name} is not a CPU buffer; buffers cannot be shared between backends.", nameof(buffer));
}
