namespace Mlrb.Eval.Inference;

/// <summary>A lookup table of rows (token or position embeddings) resident on a backend.</summary>
internal abstract class EmbeddingTable
{
    /// <summary>Rows (vocabulary size or position count).</summary>
    public abstract int Rows { get; }

    /// <summary>Elements per row.</summary>
    public abstract int Width { get; }

    /// <summary>Bytes held by the table itself (0 for a view of a tied linear layer).</summary>
    public abstract long Bytes { get; }
}
