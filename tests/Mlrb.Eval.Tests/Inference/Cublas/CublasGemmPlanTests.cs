using Mlrb.Eval.Inference;
using Mlrb.Eval.Inference.Ilgpu.Cublas;

namespace Mlrb.Eval.Tests.Inference.Cublas;

/// <summary>
/// The exact sequence of cuBLAS calls <c>CublasGemm</c> makes, executed with the column-major BLAS emulator on host arrays (widening and bf16
/// rounding done as the device kernels do them) and compared with the ILGPU GEMM's semantics, <c>C[m, n] (+)= Σₖ A[m, k] · W[n, k]</c>
/// with W widened exactly and A rounded to bf16 in the bf16 mode. No GPU needed; no GPU has run it.
/// </summary>
public class CublasGemmPlanTests
{
    [TestCase("F32", false, 1L << 24)]
    [TestCase("BF16", false, 1L << 24)]
    [TestCase("F16", false, 1L << 24)]
    [TestCase("BF16", false, 40L)] // 40 scratch elements, K = 9: blocks of 4 weight rows, the last one short
    [TestCase("F16", false, 5L)]   // scratch smaller than one row: one row per block
    [TestCase("BF16", true, 1L << 24)]
    public void Steps_RunThroughTheBlasEmulator_GiveTheGemmSemantics(string typeName, bool round, long scratch)
    {
        var type = Enum.Parse<WeightType>(typeName);
        const int m = 7, k = 9, n = 13;
        var rng = new Random(17);
        var a = Values(rng, m * k);
        var w16 = Enumerable.Range(0, n * k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).Select(v => type == WeightType.F16 ? (ushort)BitConverter.HalfToUInt16Bits((Half)v) : ElementConversion.ToBFloat16(v)).ToArray();
        var w = type == WeightType.F32 ? Values(rng, n * k) : w16.Select(bits => Widen(bits, type)).ToArray();

        foreach (var accumulate in new[] { false, true })
        {
            var c = Values(new Random(5), m * n);
            var expected = new float[m * n];
            for (var row = 0; row < m; row++)
            {
                for (var col = 0; col < n; col++)
                {
                    var sum = 0.0;
                    for (var i = 0; i < k; i++)
                    {
                        sum += (double)(round ? RoundBf16(a[(row * k) + i]) : a[(row * k) + i]) * w[(col * k) + i];
                    }

                    expected[(row * n) + col] = (float)(sum + (accumulate ? c[(row * n) + col] : 0));
                }
            }

            var steps = CublasGemmPlan.Steps(m, k, n, type, accumulate, round, scratch);
            Assert.That(steps.Sum(s => s.WeightRows), Is.EqualTo(n), "the blocks cover every output once");
            foreach (var step in steps)
            {
                Assert.That(step.Kind, Is.Not.EqualTo(CublasGemmStepKind.Fallback));
                var block = w.Skip((int)step.WeightOffset(k)).Take(step.WeightRows * k).ToArray(); // as the widen kernel writes the scratch
                Assert.That(block.Length, Is.LessThanOrEqualTo(Math.Max(scratch, k)), "a widened block fits the scratch");
                var b = step.Kind == CublasGemmStepKind.RoundThenGemmExBFloat16 ? a.Select(RoundBf16).ToArray() : a;
                var cView = c.Skip((int)step.OutputOffset).ToArray(); // C from the block's first column (ldc = n)
                ColumnMajorBlas.Gemm(step.Call, block, b, cView);
                Array.Copy(cView, 0, c, step.OutputOffset, cView.Length);
            }

            Assert.That(c, Is.EqualTo(expected).Within(2e-5f), $"{type} round={round} scratch={scratch} accumulate={accumulate}");
        }
    }

    [Test]
    public void Steps_Bf16InputsWithNonBf16Weights_FallBack_AndEmptyProductsDoNothing()
    {
        Assert.That(CublasGemmPlan.Steps(4, 8, 8, WeightType.F16, false, roundInputsToBFloat16: true).Single().Kind, Is.EqualTo(CublasGemmStepKind.Fallback));
        Assert.That(CublasGemmPlan.Steps(4, 8, 8, WeightType.F32, false, roundInputsToBFloat16: true).Single().Kind, Is.EqualTo(CublasGemmStepKind.Fallback));
        Assert.That(CublasGemmPlan.Steps(0, 8, 8, WeightType.F32, false, false), Is.Empty);
    }

    [Test]
    public void Steps_Fp32Weights_IsOneSgemm_WithTheLinearMapping()
    {
        var step = CublasGemmPlan.Steps(64, 768, 50257, WeightType.F32, accumulate: true, roundInputsToBFloat16: false).Single();
        Assert.That(step.Kind, Is.EqualTo(CublasGemmStepKind.Sgemm));
        Assert.That(step.Call, Is.EqualTo(new CublasGemmCall(CublasOperation.Transpose, CublasOperation.None, 50257, 64, 768, 768, 768, 50257, 1f, 1f)));
    }

    private static float[] Values(Random rng, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2) - 1))];

    private static float Widen(ushort bits, WeightType type)
        => type == WeightType.BF16 ? BitConverter.UInt32BitsToSingle((uint)bits << 16) : (float)BitConverter.UInt16BitsToHalf(bits);

    private static float RoundBf16(float v) => BitConverter.UInt32BitsToSingle((uint)ElementConversion.ToBFloat16(v) << 16);
}
