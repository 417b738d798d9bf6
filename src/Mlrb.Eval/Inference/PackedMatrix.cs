namespace Mlrb.Eval.Inference;

/// <summary>
/// The right-hand matrix B[K, N] of a GEMM, repacked once into column panels of <see cref="PanelWidth"/> floats:
/// panel p holds columns [p·W, p·W+W) as K consecutive rows of W floats, zero-padded past N. The optional bias is padded the same way.
/// </summary>
internal sealed class PackedMatrix
{
    public const int PanelWidth = 32;

    private PackedMatrix(int k, int n, float[] data, float[]? bias)
    {
        K = k;
        N = n;
        PanelCount = (n + PanelWidth - 1) / PanelWidth;
        Data = data;
        Bias = bias;
    }

    /// <summary>Inner dimension (input features).</summary>
    public int K { get; }

    /// <summary>Output columns (output features).</summary>
    public int N { get; }

    public int PanelCount { get; }

    /// <summary>Packed panels, <c>[PanelCount, K, PanelWidth]</c>.</summary>
    public float[] Data { get; }

    /// <summary>Bias per column, padded to <c>PanelCount·PanelWidth</c>; null for none.</summary>
    public float[]? Bias { get; }

    /// <summary>Packs PyTorch <c>nn.Linear</c> weights (<c>[out, in]</c>), several concatenated along the output dimension.</summary>
    /// <param name="parts">Each part is <c>[rows_i, k]</c> row-major.</param>
    /// <param name="k">Input features.</param>
    /// <param name="biases">Per part bias of length rows_i, or null entries / null list for none.</param>
    public static PackedMatrix FromOutputByInput(IReadOnlyList<float[]> parts, int k, IReadOnlyList<float[]?>? biases = null)
    {
        var n = parts.Sum(p => p.Length / k);
        var packed = Allocate(k, n);
        var column = 0;
        for (var part = 0; part < parts.Count; part++)
        {
            var w = parts[part];
            var rows = w.Length / k;
            for (var r = 0; r < rows; r++, column++)
            {
                var panelBase = (column / PanelWidth) * k * PanelWidth;
                var j = column % PanelWidth;
                var src = w.AsSpan(r * k, k);
                for (var kk = 0; kk < k; kk++)
                {
                    packed[panelBase + (kk * PanelWidth) + j] = src[kk];
                }
            }
        }

        return new PackedMatrix(k, n, packed, PackBias(n, parts.Select(p => p.Length / k).ToArray(), biases));
    }

    /// <summary>Packs a <c>[k, n]</c> row-major matrix (GPT-2 <c>Conv1D</c> weights).</summary>
    public static PackedMatrix FromInputByOutput(float[] w, int k, int n, float[]? bias = null)
    {
        var packed = Allocate(k, n);
        var panels = (n + PanelWidth - 1) / PanelWidth;
        for (var p = 0; p < panels; p++)
        {
            var width = Math.Min(PanelWidth, n - (p * PanelWidth));
            for (var kk = 0; kk < k; kk++)
            {
                w.AsSpan((kk * n) + (p * PanelWidth), width).CopyTo(packed.AsSpan((p * k * PanelWidth) + (kk * PanelWidth), width));
            }
        }

        return new PackedMatrix(k, n, packed, PackBias(n, [n], bias is null ? null : [bias]));
    }

    /// <summary>Copies column <paramref name="n"/> (row n of the original <c>[out, in]</c> matrix, e.g. a tied embedding row).</summary>
    public void CopyColumn(int n, Span<float> destination)
    {
        var offset = ((n / PanelWidth) * K * PanelWidth) + (n % PanelWidth);
        for (var kk = 0; kk < K; kk++)
        {
            destination[kk] = Data[offset + (kk * PanelWidth)];
        }
    }

    private static float[] Allocate(int k, int n) => new float[checked(((n + PanelWidth - 1) / PanelWidth) * PanelWidth * k)];

    private static float[]? PackBias(int n, int[] sizes, IReadOnlyList<float[]?>? biases)
    {
        if (biases is null || biases.All(b => b is null))
        {
            return null;
        }

        var result = new float[((n + PanelWidth - 1) / PanelWidth) * PanelWidth];
        var offset = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            biases[i]?.CopyTo(result, offset);
            offset += sizes[i];
        }

        return result;
    }
}
