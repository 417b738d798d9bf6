using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// Pointer kernels for one attention head of one query: the dot products with the keys and the probability-weighted sum of the values.
/// Written for short heads (a 64-wide model has 8-wide heads) where a library call per key costs more than the arithmetic.
/// </summary>
internal static unsafe class AttentionKernels
{
    /// <summary>
    /// <c>dst[j] = scale · (q · key_j)</c> for <paramref name="count"/> keys <paramref name="stride"/> floats apart. With AVX and a head
    /// width that is a multiple of 8, eight keys at a time: eight vector products reduced together by a horizontal-add tree into one
    /// vector of eight scores, instead of one horizontal sum per key.
    /// </summary>
    public static void Scores(float* q, float* keys, long stride, int count, int hd, float scale, float* dst)
    {
        var j = 0;
        if (Avx.IsSupported && hd % 8 == 0)
        {
            var s = Vector256.Create(scale);
            for (; j + 8 <= count; j += 8)
            {
                var k = keys + (j * stride);
                var p0 = Product8(q, k, hd);
                var p1 = Product8(q, k + stride, hd);
                var p2 = Product8(q, k + (2 * stride), hd);
                var p3 = Product8(q, k + (3 * stride), hd);
                var p4 = Product8(q, k + (4 * stride), hd);
                var p5 = Product8(q, k + (5 * stride), hd);
                var p6 = Product8(q, k + (6 * stride), hd);
                var p7 = Product8(q, k + (7 * stride), hd);
                var g0 = Avx.HorizontalAdd(Avx.HorizontalAdd(p0, p1), Avx.HorizontalAdd(p2, p3));
                var g1 = Avx.HorizontalAdd(Avx.HorizontalAdd(p4, p5), Avx.HorizontalAdd(p6, p7));
                var sums = Avx.Permute2x128(g0, g1, 0x20) + Avx.Permute2x128(g0, g1, 0x31);
                (sums * s).Store(dst + j);
            }

            // The keys left over from the blocks of eight are reduced in exactly the blocks' order, so a key's score does not depend on
            // where a pass's key range starts (a cached prefix, a shard or a batch gives bit-identical scores).
            for (; j < count; j++)
            {
                dst[j] = ReduceLikeBlocks(Product8(q, keys + (j * stride), hd)) * scale;
            }
        }

        for (; j < count; j++)
        {
            dst[j] = Dot(q, keys + (j * stride), hd) * scale;
        }
    }

    /// <summary>((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)): the order the horizontal-add tree of <see cref="Scores"/> sums a key's lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ReduceLikeBlocks(Vector256<float> p)
    {
        var low = (p.GetElement(0) + p.GetElement(1)) + (p.GetElement(2) + p.GetElement(3));
        var high = (p.GetElement(4) + p.GetElement(5)) + (p.GetElement(6) + p.GetElement(7));
        return low + high;
    }

    /// <summary>Element-wise products of q and k summed over the head's 8-wide chunks (the horizontal sum is left to the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Product8(float* q, float* k, int hd)
    {
        var acc = Vector256.Load(q) * Vector256.Load(k);
        for (var c = 8; c < hd; c += 8)
        {
            acc = Vector256.MultiplyAddEstimate(Vector256.Load(q + c), Vector256.Load(k + c), acc);
        }

        return acc;
    }

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
    /// accumulated in registers one vector of the head at a time (four interleaved accumulators, so a short head is not bound by the
    /// latency of one chain of additions).
    /// </summary>
    public static void WeightedSum(float* p, float* v1, long stride1, int n1, float* v2, long stride2, int n2, float* o, int hd)
    {
        var c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + 8 <= hd; c += 8)
            {
                var a0 = Vector256<float>.Zero;
                var a1 = Vector256<float>.Zero;
                var a2 = Vector256<float>.Zero;
                var a3 = Vector256<float>.Zero;
                Accumulate(p, v1 + c, stride1, n1, 0, ref a0, ref a1, ref a2, ref a3);
                Accumulate(p + n1, v2 + c, stride2, n2, n1 & 3, ref a0, ref a1, ref a2, ref a3);
                ((a0 + a1) + (a2 + a3)).Store(o + c);
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

    /// <summary>
    /// Adds p[j]·v[j·stride .. +8) into four accumulators, value j going to accumulator <c>(phase + j) mod 4</c>. Continuing the phase
    /// from one key range to the next makes the sum over a cached prefix then this pass's keys bit-identical to the sum over one range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(
        float* p, float* v, long stride, int n, int phase, ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3)
    {
        var j = 0;
        for (; j < n && ((phase + j) & 3) != 0; j++)
        {
            AddTo((phase + j) & 3, Vector256.Create(p[j]), Vector256.Load(v + (j * stride)), ref a0, ref a1, ref a2, ref a3);
        }

        for (; j + 4 <= n; j += 4)
        {
            var row = v + (j * stride);
            a0 = Vector256.MultiplyAddEstimate(Vector256.Create(p[j]), Vector256.Load(row), a0);
            a1 = Vector256.MultiplyAddEstimate(Vector256.Create(p[j + 1]), Vector256.Load(row + stride), a1);
            a2 = Vector256.MultiplyAddEstimate(Vector256.Create(p[j + 2]), Vector256.Load(row + (2 * stride)), a2);
            a3 = Vector256.MultiplyAddEstimate(Vector256.Create(p[j + 3]), Vector256.Load(row + (3 * stride)), a3);
        }

        for (; j < n; j++)
        {
            AddTo((phase + j) & 3, Vector256.Create(p[j]), Vector256.Load(v + (j * stride)), ref a0, ref a1, ref a2, ref a3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(int which, Vector256<float> weight, Vector256<float> row, ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3)
    {
        switch (which)
        {
            case 0: a0 = Vector256.MultiplyAddEstimate(weight, row, a0); break;
            case 1: a1 = Vector256.MultiplyAddEstimate(weight, row, a1); break;
            case 2: a2 = Vector256.MultiplyAddEstimate(weight, row, a2); break;
            default: a3 = Vector256.MultiplyAddEstimate(weight, row, a3); break;
        }
    }
}
