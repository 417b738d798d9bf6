using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// Pointer kernels for one attention head of one query: the dot products with the keys and the probability-weighted sum of the values.
/// Written for short heads (a 64-wide model has 8-wide heads) where a library call per key costs more than the arithmetic.
/// </summary>
internal static unsafe class AttentionKernels
{
    /// <summary>Σ a[i]·b[i] over <paramref name="n"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(a + i), Vector256.Load(b + i), acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(a + i + 8), Vector256.Load(b + i + 8), acc1);
            }

            if (i + 8 <= n)
            {
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(a + i), Vector256.Load(b + i), acc0);
                i += 8;
            }

            sum = Vector256.Sum(acc0 + acc1);
        }

        if (Vector128.IsHardwareAccelerated && i + 4 <= n)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                acc = Vector128.MultiplyAddEstimate(Vector128.Load(a + i), Vector128.Load(b + i), acc);
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// <c>o[0..hd) = Σ_j p[j]·v1[j] + Σ_j p[n1 + j]·v2[j]</c>: the values of a cached prefix (<paramref name="n1"/> rows,
    /// <paramref name="stride1"/> apart) then those of this pass (<paramref name="n2"/> rows, <paramref name="stride2"/> apart),
    /// accumulated in registers one vector of the head at a time, rows in order, each product rounded before it is added (no fused
    /// multiply-add), so the result is bit-identical to adding <c>p[j]·v[j]</c> row by row.
    /// </summary>
    public static void WeightedSum(float* p, float* v1, long stride1, int n1, float* v2, long stride2, int n2, float* o, int hd)
    {
        var c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + 8 <= hd; c += 8)
            {
                var acc = Vector256<float>.Zero;
                for (var j = 0; j < n1; j++)
                {
                    acc += Vector256.Create(p[j]) * Vector256.Load(v1 + (j * stride1) + c);
                }

                for (var j = 0; j < n2; j++)
                {
                    acc += Vector256.Create(p[n1 + j]) * Vector256.Load(v2 + (j * stride2) + c);
                }

                acc.Store(o + c);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; c + 4 <= hd; c += 4)
            {
                var acc = Vector128<float>.Zero;
                for (var j = 0; j < n1; j++)
                {
                    acc += Vector128.Create(p[j]) * Vector128.Load(v1 + (j * stride1) + c);
                }

                for (var j = 0; j < n2; j++)
                {
                    acc += Vector128.Create(p[n1 + j]) * Vector128.Load(v2 + (j * stride2) + c);
                }

                acc.Store(o + c);
            }
        }

        for (; c < hd; c++)
        {
            var acc = 0f;
            for (var j = 0; j < n1; j++)
            {
                acc += p[j] * v1[(j * stride1) + c];
            }

            for (var j = 0; j < n2; j++)
            {
                acc += p[n1 + j] * v2[(j * stride2) + c];
            }

            o[c] = acc;
        }
    }
}
