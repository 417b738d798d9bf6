using System.Numerics.Tensors;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// Row kernels of the CPU backend. Parameter order: sources, then arguments, then destinations.
/// Each works on one token row of <c>[channelCount]</c> floats and is built on <see cref="TensorPrimitives"/>; a destination may be its source.
/// </summary>
internal static class Kernels
{
    private const float GeluScale = 0.7978845608028654f; // sqrt(2 / pi)
    private const float InverseSqrt2 = 0.70710678118654752f;

    /// <summary>LayerNorm: <c>(x - mean) / sqrt(var + eps) · weight + bias</c> (biased variance, as torch); null weight/bias mean 1/0.</summary>
    public static void LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float eps, Span<float> destination)
    {
        var mean = TensorPrimitives.Sum(x) / x.Length;
        double variance = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var d = x[i] - mean;
            variance += d * d;
        }

        var inv = 1f / MathF.Sqrt((float)(variance / x.Length) + eps);
        TensorPrimitives.Subtract(x, mean, destination);
        TensorPrimitives.Multiply(destination, inv, destination);
        if (!weight.IsEmpty && !bias.IsEmpty)
        {
            TensorPrimitives.FusedMultiplyAdd(destination, weight, bias, destination);
        }
        else if (!weight.IsEmpty)
        {
            TensorPrimitives.Multiply(destination, weight, destination);
        }
        else if (!bias.IsEmpty)
        {
            TensorPrimitives.Add(destination, bias, destination);
        }
    }

    /// <summary>RMSNorm: <c>weight · x / sqrt(mean(x²) + eps)</c>; a null weight means 1.</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> destination)
    {
        var meanSquare = TensorPrimitives.SumOfSquares(x) / x.Length;
        var inv = 1f / MathF.Sqrt(meanSquare + eps);
        TensorPrimitives.Multiply(x, inv, destination);
        if (!weight.IsEmpty)
        {
            TensorPrimitives.Multiply(destination, weight, destination);
        }
    }

    /// <summary>Applies <paramref name="function"/> element-wise: <paramref name="destination"/> = f(<paramref name="x"/>).</summary>
    public static void Activate(ActivationFunction function, ReadOnlySpan<float> x, Span<float> scratch, Span<float> destination)
    {
        switch (function)
        {
            case ActivationFunction.GeluTanh:
                GeluTanh(x, scratch, destination);
                break;
            case ActivationFunction.GeluErf:
                GeluErf(x, scratch, destination);
                break;
            case ActivationFunction.Relu:
                TensorPrimitives.Max(x, 0f, destination);
                break;
            default:
                // silu(x) = x · sigmoid(x)
                TensorPrimitives.Sigmoid(x, scratch[..x.Length]);
                TensorPrimitives.Multiply(scratch[..x.Length], x, destination);
                break;
        }
    }

    /// <summary>GELU, tanh approximation (<c>gelu_new</c>): <c>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>.</summary>
    public static void GeluTanh(ReadOnlySpan<float> x, Span<float> scratch, Span<float> destination)
    {
        var u = scratch[..x.Length];
        TensorPrimitives.Multiply(x, x, u);
        TensorPrimitives.Multiply(u, 0.044715f, u);
        TensorPrimitives.Add(u, 1f, u);
        TensorPrimitives.Multiply(u, x, u);
        TensorPrimitives.Multiply(u, GeluScale, u);
        TensorPrimitives.Tanh(u, u);
        TensorPrimitives.Add(u, 1f, u);
        TensorPrimitives.Multiply(u, x, u);
        TensorPrimitives.Multiply(u, 0.5f, destination);
    }

    /// <summary>
    /// GELU with the exact erf (<c>gelu</c>): <c>0.5·x·erfc(−x/√2)</c>. erfc is the Chebyshev-fitted form of Numerical Recipes
    /// (<c>erfcc</c>, fractional error below 1.2e-7 everywhere), so the result has about fp32 relative accuracy for all x.
    /// </summary>
    public static void GeluErf(ReadOnlySpan<float> x, Span<float> scratch, Span<float> destination)
    {
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            var v = x[i];
            var z = MathF.Abs(v) * InverseSqrt2;
            var t = 1f / (1f + (0.5f * z));
            var poly = -1.26551223f + (t * (1.00002368f + (t * (0.37409196f + (t * (0.09678418f + (t * (-0.18628806f
                + (t * (0.27886807f + (t * (-1.13520398f + (t * (1.48851587f + (t * (-0.82215223f + (t * 0.17087277f)))))))))))))))));
            var erfcAbs = t * MathF.Exp((-z * z) + poly); // erfc(|v|/√2)
            var erfcNeg = v >= 0 ? 2f - erfcAbs : erfcAbs;  // erfc(−v/√2)
            destination[i] = 0.5f * v * erfcNeg;
        }

        _ = scratch;
    }

    /// <summary>Rotary embedding in the Hugging Face rotate-half layout, in place on the first <paramref name="rotaryDims"/> of each head.</summary>
    /// <param name="cos">cos(position·invFreq)·factor, <c>[rotaryDims / 2]</c>.</param>
    /// <param name="sin">sin(position·invFreq)·factor, <c>[rotaryDims / 2]</c>.</param>
    /// <param name="headCount">Heads in <paramref name="x"/>.</param>
    /// <param name="headDim">Head dimension.</param>
    /// <param name="rotaryDims">Rotated elements at the start of each head (the rest pass through).</param>
    /// <param name="x">Query or key heads of one token.</param>
    public static void RotaryInPlace(ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, int headCount, int headDim, int rotaryDims, Span<float> x)
    {
        var half = rotaryDims / 2;
        for (var h = 0; h < headCount; h++)
        {
            var head = x.Slice(h * headDim, rotaryDims);
            for (var i = 0; i < half; i++)
            {
                var x1 = head[i];
                var x2 = head[i + half];
                head[i] = (x1 * cos[i]) - (x2 * sin[i]);
                head[i + half] = (x2 * cos[i]) + (x1 * sin[i]);
            }
        }
    }

    /// <summary>Softmax in place.</summary>
    public static void SoftmaxInPlace(Span<float> x)
    {
        var max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, x);
        TensorPrimitives.Exp(x, x);
        var sum = TensorPrimitives.Sum(x);
        TensorPrimitives.Multiply(x, 1f / sum, x);
    }

    /// <summary><c>cap · tanh(x / cap)</c> in place.</summary>
    public static void SoftCapInPlace(Span<float> x, float cap)
    {
        TensorPrimitives.Multiply(x, 1f / cap, x);
        TensorPrimitives.Tanh(x, x);
        TensorPrimitives.Multiply(x, cap, x);
    }

    /// <summary>log Σ exp(x), computed stably with a double accumulator.</summary>
    public static double LogSumExp(ReadOnlySpan<float> x)
    {
        var max = TensorPrimitives.Max(x);
        double sum = 0;
        const int Chunk = 1024;
        Span<float> buffer = stackalloc float[Chunk];
        for (var i = 0; i < x.Length; i += Chunk)
        {
            var part = x.Slice(i, Math.Min(Chunk, x.Length - i));
            var b = buffer[..part.Length];
            TensorPrimitives.Subtract(part, max, b);
            TensorPrimitives.Exp(b, b);
            sum += TensorPrimitives.Sum(b);
        }

        return max + Math.Log(sum);
    }
}
