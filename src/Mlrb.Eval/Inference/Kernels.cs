using System.Numerics.Tensors;

namespace Mlrb.Eval.Inference;

/// <summary>
/// Row kernels of the forward pass. Parameter order: sources, then arguments, then destinations.
/// Each works on one token row of <c>[channelCount]</c> floats and is built on <see cref="TensorPrimitives"/>.
/// </summary>
internal static class Kernels
{
    private const float GeluScale = 0.7978845608028654f; // sqrt(2 / pi)

    /// <summary>LayerNorm: <c>(x - mean) / sqrt(var + eps) · weight + bias</c> (biased variance, as torch).</summary>
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
        TensorPrimitives.FusedMultiplyAdd(destination, weight, bias, destination);
    }

    /// <summary>RMSNorm: <c>weight · x / sqrt(mean(x²) + eps)</c>.</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> destination)
    {
        var meanSquare = TensorPrimitives.SumOfSquares(x) / x.Length;
        var inv = 1f / MathF.Sqrt(meanSquare + eps);
        TensorPrimitives.Multiply(x, inv, destination);
        TensorPrimitives.Multiply(destination, weight, destination);
    }

    /// <summary>GELU, tanh approximation (<c>gelu_new</c>), in place: <c>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>.</summary>
    public static void GeluTanhInPlace(Span<float> x, Span<float> scratch)
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
        TensorPrimitives.Multiply(u, 0.5f, x);
    }

    /// <summary>SwiGLU: <c>silu(gate) · up</c>.</summary>
    public static void SiluMultiply(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> destination)
    {
        // silu(g) = g · sigmoid(g)
        TensorPrimitives.Sigmoid(gate, destination);
        TensorPrimitives.Multiply(destination, gate, destination);
        TensorPrimitives.Multiply(destination, up, destination);
    }

    /// <summary>Rotary embedding in the Hugging Face rotate-half layout, in place on <c>[headCount, headDim]</c>.</summary>
    /// <param name="cos">cos(position·invFreq), <c>[headDim / 2]</c>.</param>
    /// <param name="sin">sin(position·invFreq), <c>[headDim / 2]</c>.</param>
    /// <param name="headCount">Heads in <paramref name="x"/>.</param>
    /// <param name="headDim">Head dimension.</param>
    /// <param name="x">Query or key heads of one token.</param>
    public static void RotaryInPlace(ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, int headCount, int headDim, Span<float> x)
    {
        var half = headDim / 2;
        for (var h = 0; h < headCount; h++)
        {
            var head = x.Slice(h * headDim, headDim);
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
