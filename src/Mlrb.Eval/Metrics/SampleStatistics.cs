namespace Mlrb.Eval.Metrics;

/// <summary>The harness's aggregations: <c>mean</c>, <c>mean_stderr</c> and <c>pooled_sample_stderr</c>.</summary>
internal static class SampleStatistics
{
    /// <summary>Arithmetic mean (NaN for no items).</summary>
    public static double Mean(IReadOnlyList<double> items) => items.Count == 0 ? double.NaN : items.Sum() / items.Count;

    /// <summary>Sample standard deviation (n − 1) over √n; NaN below two items.</summary>
    public static double MeanStderr(IReadOnlyList<double> items)
    {
        if (items.Count < 2)
        {
            return double.NaN;
        }

        var mean = Mean(items);
        var ss = items.Sum(x => (x - mean) * (x - mean));
        return Math.Sqrt(ss / (items.Count - 1)) / Math.Sqrt(items.Count);
    }

    /// <summary>
    /// Group stderr as the harness pools it: <c>sqrt(Σ (n_i − 1)·se_i²·n_i / (Σ n_i − k) / Σ n_i)</c>.
    /// </summary>
    public static double PooledStderr(IReadOnlyList<(double Stderr, int Size)> parts)
    {
        var total = parts.Sum(p => p.Size);
        if (parts.Count == 0 || total - parts.Count <= 0 || parts.Any(p => double.IsNaN(p.Stderr)))
        {
            return double.NaN;
        }

        var pooledVariance = parts.Sum(p => (p.Size - 1) * p.Stderr * p.Stderr * p.Size) / (total - parts.Count);
        return Math.Sqrt(pooledVariance / total);
    }
}
