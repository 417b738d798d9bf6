using ILGPU;
using ILGPU.Algorithms;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>ILGPU kernels with one thread per row (norms and the log-softmax statistics).</summary>
internal static class RowKernels
{
    /// <summary>LayerNorm or RMSNorm of one row (double accumulation, as the CPU kernels); <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Normalize(Index1D rowIndex, ArrayView<float> x, ArrayView<float> weight, ArrayView<float> bias, NormShape s, ArrayView<float> y)
    {
        int row = rowIndex;
        var start = (long)row * s.Width;
        if (s.Rms != 0)
        {
            double squares = 0;
            for (var i = 0; i < s.Width; i++)
            {
                var v = x[start + i];
                squares += v * v;
            }

            var inv = 1f / XMath.Sqrt(((float)squares / s.Width) + s.Epsilon);
            for (var i = 0; i < s.Width; i++)
            {
                var v = x[start + i] * inv;
                y[start + i] = s.HasWeight != 0 ? v * weight[i] : v;
            }

            return;
        }

        double sum = 0;
        for (var i = 0; i < s.Width; i++)
        {
            sum += x[start + i];
        }

        var mean = (float)(sum / s.Width);
        double variance = 0;
        for (var i = 0; i < s.Width; i++)
        {
            var d = x[start + i] - mean;
            variance += d * d;
        }

        var scale = 1f / XMath.Sqrt((float)(variance / s.Width) + s.Epsilon);
        for (var i = 0; i < s.Width; i++)
        {
            var v = (x[start + i] - mean) * scale;
            if (s.HasWeight != 0)
            {
                v *= weight[i];
            }

            if (s.HasBias != 0)
            {
                v += bias[i];
            }

            y[start + i] = v;
        }
    }

    /// <summary>Per logit row: log Σ exp (double sum of fp32 exps) and the first index of the maximum.</summary>
    public static void Statistics(Index1D rowIndex, ArrayView<float> logits, int width, ArrayView<double> logSumExp, ArrayView<int> argMax)
    {
        int row = rowIndex;
        var start = (long)row * width;
        var best = logits[start];
        var index = 0;
        for (var i = 1; i < width; i++)
        {
            var v = logits[start + i];
            if (v > best)
            {
                best = v;
                index = i;
            }
        }

        double sum = 0;
        for (var i = 0; i < width; i++)
        {
            sum += XMath.Exp(logits[start + i] - best);
        }

        logSumExp[row] = best + XMath.Log(sum);
        argMax[row] = index;
    }
}
