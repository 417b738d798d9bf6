using System.Runtime.InteropServices;

namespace Mlrb.Eval.Inference;

/// <summary>
/// A read-only view of a row-major matrix in host memory (a memory-mapped safetensors tensor, or a buffer the loader made), in its own
/// element type. Valid only while its owner keeps the memory alive: backends copy what they need while creating weights.
/// </summary>
internal readonly unsafe struct HostTensor
{
    /// <summary>Creates a view.</summary>
    /// <param name="data">First element.</param>
    /// <param name="type">Element type.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="rowStride">Elements between the starts of consecutive rows.</param>
    public HostTensor(void* data, WeightType type, int rows, int columns, long rowStride)
    {
        Data = (byte*)data;
        Type = type;
        Rows = rows;
        Columns = columns;
        RowStride = rowStride;
    }

    /// <summary>First element.</summary>
    public byte* Data { get; }

    /// <summary>Element type.</summary>
    public WeightType Type { get; }

    /// <summary>Rows.</summary>
    public int Rows { get; }

    /// <summary>Columns.</summary>
    public int Columns { get; }

    /// <summary>Elements between consecutive rows.</summary>
    public long RowStride { get; }

    /// <summary>Bytes per element.</summary>
    public int ElementSize => Type == WeightType.F32 ? 4 : 2;

    /// <summary>A view of a fp32 array (the caller keeps it pinned or alive and unmoved while the view is used).</summary>
    public static HostTensor FromPinned(float[] values, int rows, int columns)
        => new(Marshal.UnsafeAddrOfPinnedArrayElement(values, 0).ToPointer(), WeightType.F32, rows, columns, columns);

    /// <summary>Rows <c>[start, start + count)</c>.</summary>
    public HostTensor SliceRows(int start, int count)
        => new(Data + (start * RowStride * ElementSize), Type, count, Columns, RowStride);

    /// <summary>Columns <c>[start, start + count)</c> of every row.</summary>
    public HostTensor SliceColumns(int start, int count)
        => new(Data + ((long)start * ElementSize), Type, Rows, count, RowStride);

    /// <summary>Pointer to row <paramref name="row"/>.</summary>
    public byte* Row(int row) => Data + (row * RowStride * ElementSize);

    /// <summary>Copies row <paramref name="row"/> widened to fp32.</summary>
    public void ReadRow(int row, Span<float> destination) => ElementConversion.ToSingle(Row(row), Type, destination[..Columns]);
}
