using Mlrb.Eval.Inference.Ilgpu.Cublas;

namespace Mlrb.Eval.Tests.Inference.Cublas;

/// <summary>
/// The row-major → column-major argument mapping the cuBLAS GEMM uses (<c>Yᵀ = W·Xᵀ</c>), checked without a GPU: the arguments are fed to a
/// managed BLAS emulator and the result compared with the engine's matrix-product semantics (<c>Y[rows, N] (+)= X[rows, K] · W</c>).
/// </summary>
public class CublasGemmCallTests
{
    [TestCase(1, 1, 1, false)]
    [TestCase(1, 7, 5, false)]
    [TestCase(13, 33, 17, false)]
    [TestCase(5, 64, 3, true)]
    [TestCase(31, 9, 130, true)]
    [TestCase(2, 768, 50, true)]
    public void ForLinear_MatchesRowMajorMatMul(int rows, int inputs, int outputs, bool inputMajor)
    {
        foreach (var accumulate in new[] { false, true })
        {
            var rng = new Random((rows * 1000) + inputs + outputs);
            var x = Random(rng, rows * inputs);
            var w = Random(rng, inputs * outputs);
            var y = Random(rng, rows * outputs);
            var expected = RowMajor(x, w, y, rows, inputs, outputs, inputMajor, accumulate);

            var call = CublasGemmCall.ForLinear(rows, inputs, outputs, inputMajor, accumulate);
            ColumnMajorBlas.Gemm(call, a: w, b: x, c: y);

            Assert.That(y, Is.EqualTo(expected).Within(1e-5f), $"accumulate={accumulate}");
            Assert.That((call.AExtent, call.BExtent, call.CExtent), Is.EqualTo(((long)inputs * outputs, (long)rows * inputs, (long)rows * outputs)));
        }
    }

    [Test]
    public void ForLinear_WithRowStrides_ReadsAndWritesOnlyTheRowsColumns()
    {
        // X rows of 10 elements of which the first 6 are the input; Y rows of 9 elements of which the first 4 are the output (a slice of a wider buffer).
        const int rows = 3, inputs = 6, outputs = 4, xStride = 10, yStride = 9;
        var rng = new Random(3);
        var x = Random(rng, rows * xStride);
        var w = Random(rng, outputs * inputs);
        var y = Random(rng, rows * yStride);
        var before = (float[])y.Clone();

        ColumnMajorBlas.Gemm(CublasGemmCall.ForLinear(rows, inputs, outputs, inputMajorWeights: false, accumulate: false, xStride, yStride), w, x, y);

        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < yStride; o++)
            {
                var expected = o < outputs ? Enumerable.Range(0, inputs).Sum(i => (double)x[(r * xStride) + i] * w[(o * inputs) + i]) : before[(r * yStride) + o];
                Assert.That(y[(r * yStride) + o], Is.EqualTo((float)expected).Within(1e-5f), $"row {r} column {o}");
            }
        }
    }

    [Test]
    public void ForLinear_NnLinearWeights_IsTheLlmcCall()
    {
        // llm.c matmul_forward: cublasSgemm(T, N, OC, B*T, C, weight, C, inp, C, out, OC).
        var call = CublasGemmCall.ForLinear(rows: 64, inputs: 768, outputs: 2304, inputMajorWeights: false, accumulate: false);
        Assert.That(call, Is.EqualTo(new CublasGemmCall(CublasOperation.Transpose, CublasOperation.None, 2304, 64, 768, 768, 768, 2304, 1f, 0f)));
    }

    [Test]
    public void Validate_RejectsLeadingDimensionsCublasWouldRefuse()
    {
        var good = CublasGemmCall.ForLinear(4, 8, 16, inputMajorWeights: false, accumulate: false);
        Assert.Multiple(() =>
        {
            Assert.That(() => (good with { Lda = 7 }).Validate(), Throws.ArgumentException.With.Message.Contains("lda=7"));
            Assert.That(() => (good with { Ldb = 7 }).Validate(), Throws.ArgumentException.With.Message.Contains("ldb=7"));
            Assert.That(() => (good with { Ldc = 15 }).Validate(), Throws.ArgumentException.With.Message.Contains("ldc=15"));
            Assert.That(() => CublasGemmCall.ForLinear(4, 8, 16, false, false, inputStride: 5), Throws.ArgumentException);
            Assert.That(() => CublasGemmCall.ForLinear(0, 8, 16, false, false), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    private static float[] Random(Random rng, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2) - 1))];

    private static float[] RowMajor(float[] x, float[] w, float[] y, int rows, int inputs, int outputs, bool inputMajor, bool accumulate)
    {
        var result = new float[rows * outputs];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outputs; o++)
            {
                var sum = 0.0;
                for (var i = 0; i < inputs; i++)
                {
                    sum += (double)x[(r * inputs) + i] * (inputMajor ? w[(i * outputs) + o] : w[(o * inputs) + i]);
                }

                result[(r * outputs) + o] = (float)(sum + (accumulate ? y[(r * outputs) + o] : 0));
            }
        }

        return result;
    }
}
