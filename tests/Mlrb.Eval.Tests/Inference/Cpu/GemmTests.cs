using Mlrb.Eval.Inference;
using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Eval.Tests.Inference.Cpu;

/// <summary>The blocked GEMM against a naive triple loop in double precision.</summary>
[NonParallelizable]
public class GemmTests
{
    [TestCase(1, 1, 1, false)]
    [TestCase(5, 3, 33, false)]
    [TestCase(6, 64, 32, true)]
    [TestCase(13, 300, 70, true)]
    [TestCase(7, 513, 129, false)]
    [TestCase(64, 96, 300, true)]
    public void Multiply_MatchesNaive(int m, int k, int n, bool withBias)
    {
        var rng = new Random(m * 1000 + k + n);
        var a = Random(rng, m * k);
        var wOutIn = Random(rng, n * k);
        var bias = withBias ? Random(rng, n) : null;
        var initial = Random(rng, m * n);
        var packed = PackedMatrix.FromOutputByInput([wOutIn], k, [bias]);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 };

        var overwrite = (float[])initial.Clone();
        Gemm.Multiply(a, m, packed, overwrite, accumulate: false, parallel);
        var accumulate = (float[])initial.Clone();
        Gemm.Multiply(a, m, packed, accumulate, accumulate: true, parallel);

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double expected = bias?[j] ?? 0;
                for (var kk = 0; kk < k; kk++)
                {
                    expected += (double)a[(i * k) + kk] * wOutIn[(j * k) + kk];
                }

                Assert.That(overwrite[(i * n) + j], Is.EqualTo(expected).Within(1e-4 * Math.Sqrt(k)), $"C[{i},{j}]");
                Assert.That(accumulate[(i * n) + j], Is.EqualTo(expected + initial[(i * n) + j]).Within(1e-4 * Math.Sqrt(k)), $"C+[{i},{j}]");
            }
        }
    }

    [TestCase("Scalar")]
    [TestCase("Vector128")]
    [TestCase("Avx2")]
    [TestCase("Avx512")]
    public void EveryKernel_MatchesNaive(string name)
    {
        var kernel = Enum.Parse<GemmKernel>(name);
        var supported = kernel switch
        {
            GemmKernel.Avx512 => System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            GemmKernel.Avx2 => System.Runtime.Intrinsics.X86.Fma.IsSupported,
            GemmKernel.Vector128 => System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated,
            _ => true,
        };
        if (!supported)
        {
            Assert.Ignore($"{kernel} is not supported by this CPU.");
        }

        var saved = Gemm.Kernel;
        try
        {
            Gemm.Kernel = kernel;
            Multiply_MatchesNaive(14, 290, 77, withBias: true);
        }
        finally
        {
            Gemm.Kernel = saved;
        }
    }

    [Test]
    public void FromInputByOutput_EqualsTransposedOutputByInput()
    {
        var rng = new Random(5);
        const int K = 40, N = 37;
        var kn = Random(rng, K * N);
        var nk = new float[N * K];
        for (var kk = 0; kk < K; kk++)
        {
            for (var j = 0; j < N; j++)
            {
                nk[(j * K) + kk] = kn[(kk * N) + j];
            }
        }

        Assert.That(PackedMatrix.FromInputByOutput(kn, K, N).Floats, Is.EqualTo(PackedMatrix.FromOutputByInput([nk], K).Floats));
        var column = new float[K];
        PackedMatrix.FromInputByOutput(kn, K, N).CopyColumn(36, column);
        Assert.That(column, Is.EqualTo(nk.AsSpan(36 * K, K).ToArray()));
    }

    [TestCase("BF16")]
    [TestCase("F16")]
    public void HalfPrecisionStorage_GivesTheSameProductAsFp32OfTheSameValues(string type)
    {
        var storage = Enum.Parse<WeightType>(type);
        // Widening fp16/bf16 to fp32 is exact, so packing the rounded weights as fp32 must give bit-identical results.
        const int M = 9, K = 300, N = 70;
        var rng = new Random(11);
        var a = Random(rng, M * K);
        var w = Random(rng, N * K);
        var rounded = w.Select(v => storage == WeightType.BF16
            ? BitConverter.UInt32BitsToSingle((uint)ElementConversion.ToBFloat16(v) << 16)
            : (float)(Half)v).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 };
        var half = PackedMatrix.FromOutputByInput([w], K, storage: storage);
        var full = PackedMatrix.FromOutputByInput([rounded], K);
        Assert.That(half.StorageType, Is.EqualTo(storage));
        Assert.That(half.Bytes, Is.EqualTo(full.Bytes / 2));

        var c1 = new float[M * N];
        var c2 = new float[M * N];
        Gemm.Multiply(a, M, half, c1, accumulate: false, parallel);
        Gemm.Multiply(a, M, full, c2, accumulate: false, parallel);

        Assert.That(c1, Is.EqualTo(c2));
    }

    [Test]
    public void BFloat16ComputePath_RoundsInputsAndAccumulatesInFp32()
    {
        const int M = 7, K = 513, N = 40;
        var rng = new Random(12);
        var a = Random(rng, M * K);
        var w = Random(rng, N * K);
        static double Bf(float v) => BitConverter.UInt32BitsToSingle((uint)ElementConversion.ToBFloat16(v) << 16);
        var packed = PackedMatrix.FromOutputByInput([w], K, storage: WeightType.BF16);
        var c = new float[M * N];

        Gemm.Multiply(a, M, packed, c, accumulate: false, new ParallelOptions { MaxDegreeOfParallelism = 2 }, roundInputsToBFloat16: true);

        var differsFromFp32 = false;
        for (var i = 0; i < M; i++)
        {
            for (var j = 0; j < N; j++)
            {
                double expected = 0, exact = 0;
                for (var kk = 0; kk < K; kk++)
                {
                    expected += Bf(a[(i * K) + kk]) * Bf(w[(j * K) + kk]);
                    exact += (double)a[(i * K) + kk] * w[(j * K) + kk];
                }

                Assert.That(c[(i * N) + j], Is.EqualTo(expected).Within(1e-4 * Math.Sqrt(K)), $"C[{i},{j}]");
                differsFromFp32 |= Math.Abs(c[(i * N) + j] - exact) > 1e-3;
            }
        }

        Assert.That(differsFromFp32, Is.True, "bf16 inputs must visibly change the product (the path is not fp32 in disguise)");
    }

    private static float[] Random(Random rng, int count)
    {
        var result = new float[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return result;
    }
}
