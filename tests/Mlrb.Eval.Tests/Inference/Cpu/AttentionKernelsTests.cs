using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Eval.Tests.Inference.Cpu;

/// <summary>
/// The attention kernels give bit-identical results wherever a key range is split (cached prefix + this pass, shards, batches), and
/// agree with a double-precision definition.
/// </summary>
public class AttentionKernelsTests
{
    [TestCase(8, 37)]
    [TestCase(16, 29)]
    [TestCase(64, 53)]
    [TestCase(12, 21)]
    public unsafe void Scores_OfAKeyRangeSplitAnywhere_AreBitIdenticalToOneRange(int hd, int count)
    {
        var random = new Random(hd * 1000 + count);
        var q = Values(random, hd);
        var keys = Values(random, count * hd);
        var whole = new float[count];
        fixed (float* pq = q, pk = keys, pw = whole)
        {
            AttentionKernels.Scores(pq, pk, hd, count, hd, 0.125f, pw);
            for (var j = 0; j < count; j++)
            {
                var reference = 0.0;
                for (var c = 0; c < hd; c++)
                {
                    reference += (double)q[c] * keys[(j * hd) + c];
                }

                Assert.That(whole[j], Is.EqualTo(reference * 0.125).Within(1e-5 + (1e-5 * Math.Abs(reference))), $"score of key {j}");
            }

            for (var split = 1; split < count; split++)
            {
                var parts = new float[count];
                fixed (float* pp = parts)
                {
                    AttentionKernels.Scores(pq, pk, hd, split, hd, 0.125f, pp);
                    AttentionKernels.Scores(pq, pk + ((long)split * hd), hd, count - split, hd, 0.125f, pp + split);
                }

                Assert.That(parts, Is.EqualTo(whole), $"split at {split}");
            }
        }
    }

    [TestCase(8, 37)]
    [TestCase(24, 19)]
    [TestCase(64, 50)]
    [TestCase(12, 9)]
    public unsafe void WeightedSum_OfAValueRangeSplitAnywhere_IsBitIdenticalToOneRange(int hd, int count)
    {
        var random = new Random(hd * 7 + count);
        var p = Values(random, count);
        var values = Values(random, count * hd);
        var whole = new float[hd];
        fixed (float* pp = p, pv = values, pw = whole)
        {
            AttentionKernels.WeightedSum(pp, pv, hd, 0, pv, hd, count, pw, hd);
            for (var c = 0; c < hd; c++)
            {
                var reference = 0.0;
                for (var j = 0; j < count; j++)
                {
                    reference += (double)p[j] * values[(j * hd) + c];
                }

                Assert.That(whole[c], Is.EqualTo(reference).Within(1e-5 + (1e-5 * Math.Abs(reference))), $"output {c}");
            }

            for (var split = 1; split <= count; split++)
            {
                var parts = new float[hd];
                fixed (float* po = parts)
                {
                    AttentionKernels.WeightedSum(pp, pv, hd, split, pv + ((long)split * hd), hd, count - split, po, hd);
                }

                Assert.That(parts, Is.EqualTo(whole), $"split at {split}");
            }
        }
    }

    private static float[] Values(Random random, int n)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
