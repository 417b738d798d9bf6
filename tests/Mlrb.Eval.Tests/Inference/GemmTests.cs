using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Tests.Inference;

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
    [TestCase("Avx2")]
    [TestCase("Avx512")]
    public void EveryKernel_MatchesNaive(string name)
    {
        var kernel = Enum.Parse<GemmKernel>(name);
        var supported = kernel switch
        {
            GemmKernel.Avx512 => System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            GemmKernel.Avx2 => System.Runtime.Intrinsics.X86.Fma.IsSupported,
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

        Assert.That(PackedMatrix.FromInputByOutput(kn, K, N).Data, Is.EqualTo(PackedMatrix.FromOutputByInput([nk], K).Data));
        var column = new float[K];
        PackedMatrix.FromInputByOutput(kn, K, N).CopyColumn(36, column);
        Assert.That(column, Is.EqualTo(nk.AsSpan(36 * K, K).ToArray()));
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
