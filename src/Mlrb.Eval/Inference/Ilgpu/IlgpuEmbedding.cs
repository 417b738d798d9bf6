using ILGPU;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>A row table on an ILGPU accelerator: its own rows, or a tied LM head's weight rows (same layout, no copy).</summary>
internal sealed class IlgpuEmbedding : EmbeddingTable
{
    public IlgpuEmbedding(DeviceMatrix rows, bool ownsRows)
    {
        Matrix = rows;
        OwnsRows = ownsRows;
    }

    /// <summary>The rows as a <c>[Rows, Width]</c> matrix.</summary>
    public DeviceMatrix Matrix { get; }

    /// <summary>Whether the table holds its own memory (not a view of a tied head).</summary>
    public bool OwnsRows { get; }

    /// <inheritdoc/>
    public override int Rows => Matrix.Outputs;

    /// <inheritdoc/>
    public override int Width => Matrix.Inputs;

    /// <inheritdoc/>
    public override long Bytes => OwnsRows ? Matrix.Bytes : 0;

    /// <summary>fp32 rows.</summary>
    public ArrayView<float> Single => Matrix.Single;

    /// <summary>fp16/bf16 rows.</summary>
    public ArrayView<ushort> Bits => Matrix.Bits;
}
