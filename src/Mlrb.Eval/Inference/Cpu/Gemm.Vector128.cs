using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// The portable micro-kernel for CPUs without AVX2/AVX-512 (NEON on ARM64: Apple Silicon, Graviton; SSE on old x86): a 4×16 tile of
/// <see cref="Vector128{T}"/> accumulators (16 registers), run twice per 32-wide panel; <c>MultiplyAddEstimate</c> is a fused
/// multiply-add where the CPU has one (always on ARM64).
/// </summary>
internal static unsafe partial class Gemm
{
    private const int Mr128 = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel128(float* a, int lda, float* b, float* c, int ldc, int kc, int rows)
    {
        if (rows != Mr128)
        {
            for (var r = 0; r < rows; r++)
            {
                KernelRow128(a + ((long)r * lda), b, c + ((long)r * ldc), kc);
            }

            return;
        }

        Kernel128Half(a, lda, b, c, ldc, kc);
        Kernel128Half(a, lda, b + 16, c + 16, ldc, kc);
    }

    /// <summary>C[0..4, 0..16) += A[0..4, 0..kc) · B[0..kc, 0..16) with B rows <see cref="Nr"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel128Half(float* a, int lda, float* b, float* c, int ldc, int kc)
    {
        var c0 = c;
        var c1 = c + ldc;
        var c2 = c1 + ldc;
        var c3 = c2 + ldc;
        var x00 = Vector128.Load(c0); var x01 = Vector128.Load(c0 + 4); var x02 = Vector128.Load(c0 + 8); var x03 = Vector128.Load(c0 + 12);
        var x10 = Vector128.Load(c1); var x11 = Vector128.Load(c1 + 4); var x12 = Vector128.Load(c1 + 8); var x13 = Vector128.Load(c1 + 12);
        var x20 = Vector128.Load(c2); var x21 = Vector128.Load(c2 + 4); var x22 = Vector128.Load(c2 + 8); var x23 = Vector128.Load(c2 + 12);
        var x30 = Vector128.Load(c3); var x31 = Vector128.Load(c3 + 4); var x32 = Vector128.Load(c3 + 8); var x33 = Vector128.Load(c3 + 12);
        var a1 = a + lda;
        var a2 = a1 + lda;
        var a3 = a2 + lda;
        for (var kk = 0; kk < kc; kk++, b += Nr)
        {
            var s0 = Vector128.Create(a[kk]);
            var s1 = Vector128.Create(a1[kk]);
            var s2 = Vector128.Create(a2[kk]);
            var s3 = Vector128.Create(a3[kk]);
            var b0 = Vector128.Load(b);
            x00 = Vector128.MultiplyAddEstimate(s0, b0, x00); x10 = Vector128.MultiplyAddEstimate(s1, b0, x10);
            x20 = Vector128.MultiplyAddEstimate(s2, b0, x20); x30 = Vector128.MultiplyAddEstimate(s3, b0, x30);
            var b1 = Vector128.Load(b + 4);
            x01 = Vector128.MultiplyAddEstimate(s0, b1, x01); x11 = Vector128.MultiplyAddEstimate(s1, b1, x11);
            x21 = Vector128.MultiplyAddEstimate(s2, b1, x21); x31 = Vector128.MultiplyAddEstimate(s3, b1, x31);
            var b2 = Vector128.Load(b + 8);
            x02 = Vector128.MultiplyAddEstimate(s0, b2, x02); x12 = Vector128.MultiplyAddEstimate(s1, b2, x12);
            x22 = Vector128.MultiplyAddEstimate(s2, b2, x22); x32 = Vector128.MultiplyAddEstimate(s3, b2, x32);
            var b3 = Vector128.Load(b + 12);
            x03 = Vector128.MultiplyAddEstimate(s0, b3, x03); x13 = Vector128.MultiplyAddEstimate(s1, b3, x13);
            x23 = Vector128.MultiplyAddEstimate(s2, b3, x23); x33 = Vector128.MultiplyAddEstimate(s3, b3, x33);
        }

        x00.Store(c0); x01.Store(c0 + 4); x02.Store(c0 + 8); x03.Store(c0 + 12);
        x10.Store(c1); x11.Store(c1 + 4); x12.Store(c1 + 8); x13.Store(c1 + 12);
        x20.Store(c2); x21.Store(c2 + 4); x22.Store(c2 + 8); x23.Store(c2 + 12);
        x30.Store(c3); x31.Store(c3 + 4); x32.Store(c3 + 8); x33.Store(c3 + 12);
    }

    private static void KernelRow128(float* a, float* b, float* c, int kc)
    {
        var x0 = Vector128.Load(c); var x1 = Vector128.Load(c + 4); var x2 = Vector128.Load(c + 8); var x3 = Vector128.Load(c + 12);
        var x4 = Vector128.Load(c + 16); var x5 = Vector128.Load(c + 20); var x6 = Vector128.Load(c + 24); var x7 = Vector128.Load(c + 28);
        for (var kk = 0; kk < kc; kk++, b += Nr)
        {
            var s = Vector128.Create(a[kk]);
            x0 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b), x0);
            x1 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b + 4), x1);
            x2 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b + 8), x2);
            x3 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b + 12), x3);
            x4 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b + 16), x4);
            x5 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b + 20), x5);
            x6 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b + 24), x6);
            x7 = Vector128.MultiplyAddEstimate(s, Vector128.Load(b + 28), x7);
        }

        x0.Store(c); x1.Store(c + 4); x2.Store(c + 8); x3.Store(c + 12);
        x4.Store(c + 16); x5.Store(c + 20); x6.Store(c + 24); x7.Store(c + 28);
    }
}
