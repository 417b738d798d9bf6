namespace Mlrb.Eval.Inference;

/// <summary>
/// The layout of a fused query/key/value row: <c>[queryHeads·headDim | kvHeads·headDim | kvHeads·headDim]</c>.
/// </summary>
/// <param name="QueryHeads">Query heads.</param>
/// <param name="KeyValueHeads">Key/value heads (grouped-query attention when fewer than the query heads).</param>
/// <param name="HeadDimension">Elements per head.</param>
internal readonly record struct QkvLayout(int QueryHeads, int KeyValueHeads, int HeadDimension)
{
    /// <summary>Query width.</summary>
    public int QueryWidth => QueryHeads * HeadDimension;

    /// <summary>Key (and value) width.</summary>
    public int KeyValueWidth => KeyValueHeads * HeadDimension;

    /// <summary>Row width: queries, keys, values.</summary>
    public int Width => QueryWidth + (2 * KeyValueWidth);
}
