using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Eval.Tests.Inference.Cpu;

/// <summary>
/// The portable <c>Vector128</c> micro-kernel (the one ARM64 laptops and servers get), forced on this machine, against the scalar
/// kernel and a double-precision triple loop on shapes that leave partial tiles in every direction.
/// </summary>
[NonParallelizable]
public class GemmVector128Tests
{
    [TestCase(1, 1, 1)]
    [TestCase(3, 7, 31)]
    [TestCase(4, 256, 32)]
    [TestCase(5, 257, 33)]
    [TestCase(9, 513, 65)]
    [TestCase(17, 64, 172)]
    [TestCase(130, 40, 97)]
    public void ForcedVector128_MatchesScalarKernelAndNaive(int m, int k, int n)
    {
        if (!System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
        {
            Assert.Ignore("Vector128 is not hardware-accelerated on this CPU.");
        }

        var rng = new Random((m * 7919) + (k * 31) + n);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var w = Enumerable.Range(0, n * k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var bias = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        var initial = Enumerable.Range(0, m * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var packed = PackedMatrix.FromOutputByInput([w], k, [bias]);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 };

        var vector = Run(GemmKernel.Vector128, a, m, packed, initial, parallel);
        var scalar = Run(GemmKernel.Scalar, a, m, packed, initial, parallel);

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double expected = initial[(i * n) + j] + bias[j];
                for (var kk = 0; kk < k; kk++)
                {
                    expected += (double)a[(i * k) + kk] * w[(j * k) + kk];
                }

                var tolerance = 1e-5 * (Math.Sqrt(k) + 1);
                Assert.That(vector[(i * n) + j], Is.EqualTo(expected).Within(tolerance), $"C[{i},{j}] vs naive");
                Assert.That(vector[(i * n) + j], Is.EqualTo(scalar[(i * n) + j]).Within(tolerance), $"C[{i},{j}] vs scalar kernel");
            }
        }
    }

    [Test]
    public void KernelSelection_HonoursTheEnvironmentOverrideAndRejectsUnknownNames()
    {
        var best = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? GemmKernel.Avx512
            : System.Runtime.Intrinsics.X86.Fma.IsSupported ? GemmKernel.Avx2
            : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? GemmKernel.Vector128
            : GemmKernel.Scalar;
        Assert.That(Gemm.SelectKernel(null), Is.EqualTo(best));
        Assert.That(Gemm.SelectKernel("scalar"), Is.EqualTo(GemmKernel.Scalar));
        if (best >= GemmKernel.Vector128)
        {
            Assert.That(Gemm.SelectKernel(" Vector128 "), Is.EqualTo(GemmKernel.Vector128));
        }

        if (best == GemmKernel.Avx512)
        {
            Assert.That(Gemm.SelectKernel("avx512"), Is.EqualTo(GemmKernel.Avx512));
        }
        else
        {
            Assert.That(() => Gemm.SelectKernel("avx512"), Throws.InvalidOperationException.With.Message.Contains("does not support"));
        }

        Assert.That(() => Gemm.SelectKernel("neon9000"), Throws.InvalidOperationException.With.Message.Contains("scalar, vector128, avx2, avx512"));
        Assert.That(() => Gemm.SelectKernel("7"), Throws.InvalidOperationException);
    }

    private static float[] Run(GemmKernel kernel, float[] a, int m, PackedMatrix b, float[] initial, ParallelOptions parallel)
    {
        var saved = Gemm.Kernel;
        try
        {
            Gemm.Kernel = kernel;
            var c = (float[])initial.Clone();
            Gemm.Multiply(a, m, b, c, accumulate: true, parallel);
            return c;
        }
        finally
        {
            Gemm.Kernel = saved;
        }
    }
}
