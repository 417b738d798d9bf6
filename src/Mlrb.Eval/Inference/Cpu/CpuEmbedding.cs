using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// A CPU row table: its own rows in their storage type (on the pinned object heap), or a view of a tied LM head's packed columns.
/// </summary>
internal sealed unsafe class CpuEmbedding : EmbeddingTable
{
    private readonly Array? _storage;
    private readonly WeightType _type;
    private readonly PackedMatrix? _tied;

    private CpuEmbedding(int rows, int width, Array? storage, WeightType type, PackedMatrix? tied)
    {
        Rows = rows;
        Width = width;
        _storage = storage;
        _type = type;
        _tied = tied;
    }

    /// <inheritdoc/>
    public override int Rows { get; }

    /// <inheritdoc/>
    public override int Width { get; }

    /// <inheritdoc/>
    public override long Bytes => _storage is null ? 0 : (long)_storage.Length * (_type == WeightType.F32 ? 4 : 2);

    /// <summary>Copies the rows of <paramref name="source"/>, converted to <paramref name="storage"/>.</summary>
    public static CpuEmbedding Create(HostTensor source, WeightType storage)
    {
        var length = checked(source.Rows * source.Columns);
        Array array = storage == WeightType.F32
            ? GC.AllocateUninitializedArray<float>(Math.Max(1, length), pinned: true)
            : GC.AllocateUninitializedArray<ushort>(Math.Max(1, length), pinned: true);
        var table = new CpuEmbedding(source.Rows, source.Columns, array, storage, null);
        var size = storage == WeightType.F32 ? 4 : 2;
        var row = new float[source.Columns];
        for (var r = 0; r < source.Rows; r++)
        {
            var dst = table.RowPointer(r);
            if (source.Type == storage)
            {
                new ReadOnlySpan<byte>(source.Row(r), source.Columns * size).CopyTo(new Span<byte>(dst, source.Columns * size));
            }
            else
            {
                source.ReadRow(r, row);
                ElementConversion.FromSingle(row, storage, dst);
            }
        }

        return table;
    }

    /// <summary>The columns of a packed tied head as rows.</summary>
    public static CpuEmbedding ViewOf(PackedMatrix head) => new(head.N, head.K, null, head.Type, head);

    /// <summary>Adds or copies row <paramref name="row"/> (widened to fp32) into <paramref name="destination"/>.</summary>
    public void ReadRow(int row, Span<float> destination, Span<float> scratch, bool accumulate)
    {
        var target = accumulate ? scratch[..Width] : destination[..Width];
        if (_tied is not null)
        {
            _tied.CopyColumn(row, target);
        }
        else
        {
            ElementConversion.ToSingle(RowPointer(row), _type, target);
        }

        if (accumulate)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(destination[..Width], target, destination[..Width]);
        }
    }

    private byte* RowPointer(int row)
        => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage!)) + ((long)row * Width * (_type == WeightType.F32 ? 4 : 2));
}
