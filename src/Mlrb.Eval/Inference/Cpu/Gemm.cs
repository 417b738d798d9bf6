using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// Blocked, multi-threaded GEMM with fp32 accumulation: <c>C[M, N] (+)= A[M, K] · B[K, N] + bias</c> with B pre-packed in column panels.
/// Threads split the column panels; each thread walks K in blocks of <see cref="KBlock"/> so its B block stays in cache, and an AVX-512
/// (12×32, then 6×32), AVX2/FMA (3×32) or portable <c>Vector128</c> (4×16, NEON on ARM64) register-tiled micro-kernel accumulates one tile;
/// CPUs without 128-bit SIMD use a scalar kernel. <c>MLRB_GEMM_KERNEL</c> (scalar, vector128, avx2, avx512) forces one for benchmarks. fp16/bf16 panels are
/// widened to fp32 one K block at a time into a per-thread tile (exact), so every storage type runs the same fp32 micro-kernels.
/// </summary>
internal static unsafe partial class Gemm
{
    public const int KBlock = 256;
    private const int Nr = PackedMatrix.PanelWidth;
    private const int PanelsPerChunk = 4;
    private const int Mr512 = 12;

    [ThreadStatic]
    private static float[]? t_tile;

    /// <summary>The micro-kernel in use: the widest the CPU supports unless a test (or <c>MLRB_GEMM_KERNEL</c>) forces a narrower one.</summary>
    internal static GemmKernel Kernel { get; set; } = SelectKernel(Environment.GetEnvironmentVariable("MLRB_GEMM_KERNEL"));

    /// <summary>The widest kernel the CPU supports, or the one <paramref name="forced"/> names when the CPU supports it.</summary>
    internal static GemmKernel SelectKernel(string? forced)
    {
        var best = Avx512F.IsSupported ? GemmKernel.Avx512
            : Fma.IsSupported ? GemmKernel.Avx2
            : Vector128.IsHardwareAccelerated ? GemmKernel.Vector128
            : GemmKernel.Scalar;
        if (string.IsNullOrWhiteSpace(forced))
        {
            return best;
        }

        if (!Enum.TryParse<GemmKernel>(forced.Trim(), ignoreCase: true, out var kernel) || !Enum.IsDefined(kernel))
        {
            throw new InvalidOperationException($"MLRB_GEMM_KERNEL='{forced}' is not one of: scalar, vector128, avx2, avx512.");
        }

        return kernel <= best || kernel == GemmKernel.Scalar ? kernel
            : throw new InvalidOperationException($"MLRB_GEMM_KERNEL='{forced}': this CPU does not support the {kernel} kernel (best: {best}).");
    }

    /// <summary>Multiplies arrays (tests and benchmarks).</summary>
    /// <param name="a">A, <c>[m, b.K]</c> row-major (only the first m·K values are read).</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="b">Packed B with optional bias.</param>
    /// <param name="c">C, <c>[m, b.N]</c> row-major.</param>
    /// <param name="accumulate">Add to C instead of overwriting it (fused residual add).</param>
    /// <param name="parallel">Degree of parallelism.</param>
    /// <param name="roundInputsToBFloat16">Round A to bf16 first (the bf16 compute path).</param>
    public static void Multiply(float[] a, int m, PackedMatrix b, float[] c, bool accumulate, ParallelOptions parallel, bool roundInputsToBFloat16 = false)
    {
        if ((long)m * b.K > a.Length || (long)m * b.N > c.Length)
        {
            throw new ArgumentException("GEMM buffers are smaller than [m, K] and [m, N].");
        }

        fixed (float* pa = a, pc = c)
        {
            Multiply(pa, m, b, pc, accumulate, parallel, roundInputsToBFloat16);
        }
    }

    /// <summary>Multiplies; <paramref name="a"/> holds <c>[m, b.K]</c> and <paramref name="c"/> <c>[m, b.N]</c>, both pinned.</summary>
    public static void Multiply(float* a, int m, PackedMatrix b, float* c, bool accumulate, ParallelOptions parallel, bool roundInputsToBFloat16 = false)
    {
        if (m == 0)
        {
            return;
        }

        float[]? rounded = null;
        try
        {
            if (roundInputsToBFloat16)
            {
                var count = checked(m * b.K);
                rounded = ArrayPool<float>.Shared.Rent(count);
                new ReadOnlySpan<float>(a, count).CopyTo(rounded);
                ElementConversion.RoundToBFloat16(rounded.AsSpan(0, count));
            }

            fixed (float* pr = rounded)
            {
                var pa = rounded is null ? a : pr;
                var chunks = (b.PanelCount + PanelsPerChunk - 1) / PanelsPerChunk;
                var work = (long)m * b.K * b.N;
                if (chunks == 1 || parallel.MaxDegreeOfParallelism == 1 || work < 1L << 17)
                {
                    for (var ch = 0; ch < chunks; ch++)
                    {
                        RunChunk(pa, m, b, c, accumulate, ch);
                    }
                }
                else
                {
                    var ia = (nint)pa;
                    var ic = (nint)c;
                    Parallel.For(0, chunks, parallel, ch => RunChunk((float*)ia, m, b, (float*)ic, accumulate, ch));
                }
            }
        }
        finally
        {
            if (rounded is not null)
            {
                ArrayPool<float>.Shared.Return(rounded);
            }
        }
    }

    private static void RunChunk(float* a, int m, PackedMatrix b, float* c, bool accumulate, int chunk)
    {
        var k = b.K;
        var n = b.N;
        var p0 = chunk * PanelsPerChunk;
        var p1 = Math.Min(b.PanelCount, p0 + PanelsPerChunk);
        var col0 = p0 * Nr;
        var col1 = Math.Min(n, p1 * Nr);
        InitializeColumns(m, n, col0, col1, b.Bias, c, accumulate);
        var tile = stackalloc float[Mr512 * Nr];
        var widen = b.Type != WeightType.F32;
        var scratch = widen ? (t_tile ??= GC.AllocateUninitializedArray<float>(PanelsPerChunk * KBlock * Nr, pinned: true)) : null;
        fixed (float* ps = scratch)
        {
            for (var k0 = 0; k0 < k; k0 += KBlock)
            {
                var kc = Math.Min(KBlock, k - k0);
                float* bBase;
                long panelStride;
                if (widen)
                {
                    // Widen this K block of each panel to fp32: [p1 - p0, kc, Nr].
                    for (var p = p0; p < p1; p++)
                    {
                        var src = b.Data + ((((long)p * k) + k0) * Nr * 2);
                        ElementConversion.ToSingle(src, b.Type, new Span<float>(ps + ((long)(p - p0) * kc * Nr), kc * Nr));
                    }

                    bBase = ps;
                    panelStride = (long)kc * Nr;
                }
                else
                {
                    bBase = (float*)b.Data + ((((long)p0 * k) + k0) * Nr);
                    panelStride = (long)k * Nr;
                }

                if (Kernel == GemmKernel.Avx512)
                {
                    Sweep(a, k, bBase, panelStride, c, n, m, k0, kc, p0, p1, tile, Mr512, &Kernel512);
                }
                else if (Kernel == GemmKernel.Avx2)
                {
                    Sweep(a, k, bBase, panelStride, c, n, m, k0, kc, p0, p1, tile, 3, &Kernel256);
                }
                else if (Kernel == GemmKernel.Vector128)
                {
                    Sweep(a, k, bBase, panelStride, c, n, m, k0, kc, p0, p1, tile, Mr128, &Kernel128);
                }
                else
                {
                    Sweep(a, k, bBase, panelStride, c, n, m, k0, kc, p0, p1, tile, 1, &KernelScalar);
                }
            }
        }
    }

    private static void InitializeColumns(int m, int n, int col0, int col1, float[]? bias, float* c, bool accumulate)
    {
        var width = col1 - col0;
        for (var i = 0; i < m; i++)
        {
            var row = new Span<float>(c + ((long)i * n) + col0, width);
            if (bias is null)
            {
                if (!accumulate)
                {
                    row.Clear();
                }
            }
            else if (accumulate)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(row, bias.AsSpan(col0, width), row);
            }
            else
            {
                bias.AsSpan(col0, width).CopyTo(row);
            }
        }
    }

    private static void Sweep(
        float* a, int k, float* bBase, long panelStride, float* c, int n, int m, int k0, int kc, int p0, int p1, float* tile, int mr,
        delegate*<float*, int, float*, float*, int, int, int, void> kernel)
    {
        for (var i = 0; i < m; i += mr)
        {
            var rows = Math.Min(mr, m - i);
            var aRow = a + ((long)i * k) + k0;
            for (var p = p0; p < p1; p++)
            {
                var bPanel = bBase + ((p - p0) * panelStride);
                var cols = Math.Min(Nr, n - (p * Nr));
                var cTile = c + ((long)i * n) + (p * Nr);
                if (cols == Nr)
                {
                    kernel(aRow, k, bPanel, cTile, n, kc, rows);
                }
                else
                {
                    for (var r = 0; r < rows; r++)
                    {
                        new ReadOnlySpan<float>(cTile + ((long)r * n), cols).CopyTo(new Span<float>(tile + (r * Nr), Nr));
                    }

                    kernel(aRow, k, bPanel, tile, Nr, kc, rows);
                    for (var r = 0; r < rows; r++)
                    {
                        new ReadOnlySpan<float>(tile + (r * Nr), cols).CopyTo(new Span<float>(cTile + ((long)r * n), cols));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Up to <see cref="Mr512"/> rows against one panel: a 12×32 tile (24 of the 32 zmm registers accumulate, so each pair of B loads
    /// feeds 24 FMAs), else 6×32, then single rows. Every output is the same k-ordered chain of FMAs whichever tile computes it.
    /// </summary>
    private static void Kernel512(float* a, int lda, float* b, float* c, int ldc, int kc, int rows)
    {
        var r = 0;
        if (rows == 12)
        {
            Kernel512x12(a, lda, b, c, ldc, kc);
            return;
        }

        for (; r + 6 <= rows; r += 6)
        {
            Kernel512x6(a + ((long)r * lda), lda, b, c + ((long)r * ldc), ldc, kc);
        }

        for (; r < rows; r++)
        {
            KernelRow512(a + ((long)r * lda), b, c + ((long)r * ldc), kc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512x12(float* a, int lda, float* b, float* c, int ldc, int kc)
    {
        var c0 = c;
        var c1 = c0 + ldc;
        var c2 = c1 + ldc;
        var c3 = c2 + ldc;
        var c4 = c3 + ldc;
        var c5 = c4 + ldc;
        var c6 = c5 + ldc;
        var c7 = c6 + ldc;
        var c8 = c7 + ldc;
        var c9 = c8 + ldc;
        var c10 = c9 + ldc;
        var c11 = c10 + ldc;
        var x00 = Vector512.Load(c0); var x01 = Vector512.Load(c0 + 16);
        var x10 = Vector512.Load(c1); var x11 = Vector512.Load(c1 + 16);
        var x20 = Vector512.Load(c2); var x21 = Vector512.Load(c2 + 16);
        var x30 = Vector512.Load(c3); var x31 = Vector512.Load(c3 + 16);
        var x40 = Vector512.Load(c4); var x41 = Vector512.Load(c4 + 16);
        var x50 = Vector512.Load(c5); var x51 = Vector512.Load(c5 + 16);
        var x60 = Vector512.Load(c6); var x61 = Vector512.Load(c6 + 16);
        var x70 = Vector512.Load(c7); var x71 = Vector512.Load(c7 + 16);
        var x80 = Vector512.Load(c8); var x81 = Vector512.Load(c8 + 16);
        var x90 = Vector512.Load(c9); var x91 = Vector512.Load(c9 + 16);
        var xa0 = Vector512.Load(c10); var xa1 = Vector512.Load(c10 + 16);
        var xb0 = Vector512.Load(c11); var xb1 = Vector512.Load(c11 + 16);
        var a0 = a;
        var a6 = a + (6L * lda);
        for (var kk = 0; kk < kc; kk++, b += Nr)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var s = Vector512.Create(a0[kk]);
            x00 = Avx512F.FusedMultiplyAdd(s, b0, x00); x01 = Avx512F.FusedMultiplyAdd(s, b1, x01);
            s = Vector512.Create(a0[kk + lda]);
            x10 = Avx512F.FusedMultiplyAdd(s, b0, x10); x11 = Avx512F.FusedMultiplyAdd(s, b1, x11);
            s = Vector512.Create(a0[kk + (2 * lda)]);
            x20 = Avx512F.FusedMultiplyAdd(s, b0, x20); x21 = Avx512F.FusedMultiplyAdd(s, b1, x21);
            s = Vector512.Create(a0[kk + (3 * lda)]);
            x30 = Avx512F.FusedMultiplyAdd(s, b0, x30); x31 = Avx512F.FusedMultiplyAdd(s, b1, x31);
            s = Vector512.Create(a0[kk + (4 * lda)]);
            x40 = Avx512F.FusedMultiplyAdd(s, b0, x40); x41 = Avx512F.FusedMultiplyAdd(s, b1, x41);
            s = Vector512.Create(a0[kk + (5 * lda)]);
            x50 = Avx512F.FusedMultiplyAdd(s, b0, x50); x51 = Avx512F.FusedMultiplyAdd(s, b1, x51);
            s = Vector512.Create(a6[kk]);
            x60 = Avx512F.FusedMultiplyAdd(s, b0, x60); x61 = Avx512F.FusedMultiplyAdd(s, b1, x61);
            s = Vector512.Create(a6[kk + lda]);
            x70 = Avx512F.FusedMultiplyAdd(s, b0, x70); x71 = Avx512F.FusedMultiplyAdd(s, b1, x71);
            s = Vector512.Create(a6[kk + (2 * lda)]);
            x80 = Avx512F.FusedMultiplyAdd(s, b0, x80); x81 = Avx512F.FusedMultiplyAdd(s, b1, x81);
            s = Vector512.Create(a6[kk + (3 * lda)]);
            x90 = Avx512F.FusedMultiplyAdd(s, b0, x90); x91 = Avx512F.FusedMultiplyAdd(s, b1, x91);
            s = Vector512.Create(a6[kk + (4 * lda)]);
            xa0 = Avx512F.FusedMultiplyAdd(s, b0, xa0); xa1 = Avx512F.FusedMultiplyAdd(s, b1, xa1);
            s = Vector512.Create(a6[kk + (5 * lda)]);
            xb0 = Avx512F.FusedMultiplyAdd(s, b0, xb0); xb1 = Avx512F.FusedMultiplyAdd(s, b1, xb1);
        }

        x00.Store(c0); x01.Store(c0 + 16);
        x10.Store(c1); x11.Store(c1 + 16);
        x20.Store(c2); x21.Store(c2 + 16);
        x30.Store(c3); x31.Store(c3 + 16);
        x40.Store(c4); x41.Store(c4 + 16);
        x50.Store(c5); x51.Store(c5 + 16);
        x60.Store(c6); x61.Store(c6 + 16);
        x70.Store(c7); x71.Store(c7 + 16);
        x80.Store(c8); x81.Store(c8 + 16);
        x90.Store(c9); x91.Store(c9 + 16);
        xa0.Store(c10); xa1.Store(c10 + 16);
        xb0.Store(c11); xb1.Store(c11 + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512x6(float* a, int lda, float* b, float* c, int ldc, int kc)
    {

        var c0 = c;
        var c1 = c + ldc;
        var c2 = c1 + ldc;
        var c3 = c2 + ldc;
        var c4 = c3 + ldc;
        var c5 = c4 + ldc;
        var x00 = Vector512.Load(c0); var x01 = Vector512.Load(c0 + 16);
        var x10 = Vector512.Load(c1); var x11 = Vector512.Load(c1 + 16);
        var x20 = Vector512.Load(c2); var x21 = Vector512.Load(c2 + 16);
        var x30 = Vector512.Load(c3); var x31 = Vector512.Load(c3 + 16);
        var x40 = Vector512.Load(c4); var x41 = Vector512.Load(c4 + 16);
        var x50 = Vector512.Load(c5); var x51 = Vector512.Load(c5 + 16);
        var a0 = a;
        var a1 = a + lda;
        var a2 = a1 + lda;
        var a3 = a2 + lda;
        var a4 = a3 + lda;
        var a5 = a4 + lda;
        for (var kk = 0; kk < kc; kk++, b += Nr)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var s = Vector512.Create(a0[kk]);
            x00 = Avx512F.FusedMultiplyAdd(s, b0, x00); x01 = Avx512F.FusedMultiplyAdd(s, b1, x01);
            s = Vector512.Create(a1[kk]);
            x10 = Avx512F.FusedMultiplyAdd(s, b0, x10); x11 = Avx512F.FusedMultiplyAdd(s, b1, x11);
            s = Vector512.Create(a2[kk]);
            x20 = Avx512F.FusedMultiplyAdd(s, b0, x20); x21 = Avx512F.FusedMultiplyAdd(s, b1, x21);
            s = Vector512.Create(a3[kk]);
            x30 = Avx512F.FusedMultiplyAdd(s, b0, x30); x31 = Avx512F.FusedMultiplyAdd(s, b1, x31);
            s = Vector512.Create(a4[kk]);
            x40 = Avx512F.FusedMultiplyAdd(s, b0, x40); x41 = Avx512F.FusedMultiplyAdd(s, b1, x41);
            s = Vector512.Create(a5[kk]);
            x50 = Avx512F.FusedMultiplyAdd(s, b0, x50); x51 = Avx512F.FusedMultiplyAdd(s, b1, x51);
        }

        x00.Store(c0); x01.Store(c0 + 16);
        x10.Store(c1); x11.Store(c1 + 16);
        x20.Store(c2); x21.Store(c2 + 16);
        x30.Store(c3); x31.Store(c3 + 16);
        x40.Store(c4); x41.Store(c4 + 16);
        x50.Store(c5); x51.Store(c5 + 16);
    }

    private static void KernelRow512(float* a, float* b, float* c, int kc)
    {
        var x0 = Vector512.Load(c);
        var x1 = Vector512.Load(c + 16);
        for (var kk = 0; kk < kc; kk++, b += Nr)
        {
            var s = Vector512.Create(a[kk]);
            x0 = Avx512F.FusedMultiplyAdd(s, Vector512.Load(b), x0);
            x1 = Avx512F.FusedMultiplyAdd(s, Vector512.Load(b + 16), x1);
        }

        x0.Store(c);
        x1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(float* a, int lda, float* b, float* c, int ldc, int kc, int rows)
    {
        if (rows != 3)
        {
            for (var r = 0; r < rows; r++)
            {
                KernelRow256(a + ((long)r * lda), b, c + ((long)r * ldc), kc);
            }

            return;
        }

        var c0 = c;
        var c1 = c + ldc;
        var c2 = c1 + ldc;
        var x00 = Vector256.Load(c0); var x01 = Vector256.Load(c0 + 8); var x02 = Vector256.Load(c0 + 16); var x03 = Vector256.Load(c0 + 24);
        var x10 = Vector256.Load(c1); var x11 = Vector256.Load(c1 + 8); var x12 = Vector256.Load(c1 + 16); var x13 = Vector256.Load(c1 + 24);
        var x20 = Vector256.Load(c2); var x21 = Vector256.Load(c2 + 8); var x22 = Vector256.Load(c2 + 16); var x23 = Vector256.Load(c2 + 24);
        var a1 = a + lda;
        var a2 = a1 + lda;
        for (var kk = 0; kk < kc; kk++, b += Nr)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var b2 = Vector256.Load(b + 16);
            var b3 = Vector256.Load(b + 24);
            var s = Vector256.Create(a[kk]);
            x00 = Fma.MultiplyAdd(s, b0, x00); x01 = Fma.MultiplyAdd(s, b1, x01); x02 = Fma.MultiplyAdd(s, b2, x02); x03 = Fma.MultiplyAdd(s, b3, x03);
            s = Vector256.Create(a1[kk]);
            x10 = Fma.MultiplyAdd(s, b0, x10); x11 = Fma.MultiplyAdd(s, b1, x11); x12 = Fma.MultiplyAdd(s, b2, x12); x13 = Fma.MultiplyAdd(s, b3, x13);
            s = Vector256.Create(a2[kk]);
            x20 = Fma.MultiplyAdd(s, b0, x20); x21 = Fma.MultiplyAdd(s, b1, x21); x22 = Fma.MultiplyAdd(s, b2, x22); x23 = Fma.MultiplyAdd(s, b3, x23);
        }

        x00.Store(c0); x01.Store(c0 + 8); x02.Store(c0 + 16); x03.Store(c0 + 24);
        x10.Store(c1); x11.Store(c1 + 8); x12.Store(c1 + 16); x13.Store(c1 + 24);
        x20.Store(c2); x21.Store(c2 + 8); x22.Store(c2 + 16); x23.Store(c2 + 24);
    }

    private static void KernelRow256(float* a, float* b, float* c, int kc)
    {
        var x0 = Vector256.Load(c);
        var x1 = Vector256.Load(c + 8);
        var x2 = Vector256.Load(c + 16);
        var x3 = Vector256.Load(c + 24);
        for (var kk = 0; kk < kc; kk++, b += Nr)
        {
            var s = Vector256.Create(a[kk]);
            x0 = Fma.MultiplyAdd(s, Vector256.Load(b), x0);
            x1 = Fma.MultiplyAdd(s, Vector256.Load(b + 8), x1);
            x2 = Fma.MultiplyAdd(s, Vector256.Load(b + 16), x2);
            x3 = Fma.MultiplyAdd(s, Vector256.Load(b + 24), x3);
        }

        x0.Store(c);
        x1.Store(c + 8);
        x2.Store(c + 16);
        x3.Store(c + 24);
    }

    private static void KernelScalar(float* a, int lda, float* b, float* c, int ldc, int kc, int rows)
    {
        for (var r = 0; r < rows; r++)
        {
            var ar = a + ((long)r * lda);
            var cr = c + ((long)r * ldc);
            var bp = b;
            for (var kk = 0; kk < kc; kk++, bp += Nr)
            {
                var s = ar[kk];
                for (var j = 0; j < Nr; j++)
                {
                    cr[j] = MathF.FusedMultiplyAdd(s, bp[j], cr[j]);
                }
            }
        }
    }
}

/// <summary>GEMM micro-kernels.</summary>
internal enum GemmKernel
{
    /// <summary>Portable scalar loops.</summary>
    Scalar,

    /// <summary>Portable <c>Vector128</c> (NEON on ARM64, SSE on x86), 4×16 tile twice per panel.</summary>
    Vector128,

    /// <summary>AVX2 + FMA, 3×32 tile.</summary>
    Avx2,

    /// <summary>AVX-512F, 6×32 tile.</summary>
    Avx512,
}
