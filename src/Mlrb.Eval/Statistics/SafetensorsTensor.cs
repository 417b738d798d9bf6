namespace Mlrb.Eval.Statistics;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">safetensors dtype (<c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>I8</c>, ...).</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">Data start, relative to the end of the header.</param>
/// <param name="End">Data end (exclusive), relative to the end of the header.</param>
internal sealed record SafetensorsTensor(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}
