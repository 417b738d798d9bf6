namespace Mlrb.Eval.Models.T5;

/// <summary>
/// T5's relative-position buckets (<c>T5Attention._relative_position_bucket</c>): exact buckets for small distances, logarithmic ones up to
/// <c>max_distance</c>; bidirectional (encoder) buckets split by sign, unidirectional (decoder) ones count only keys before the query.
/// The logarithm is taken in fp32, as PyTorch does, so boundary distances fall in the same bucket.
/// </summary>
internal static class RelativePositionBuckets
{
    /// <summary>The bucket of <paramref name="relative"/> = key position − query position.</summary>
    public static int Bucket(int relative, bool bidirectional, int buckets, int maxDistance)
    {
        var result = 0;
        var n = buckets;
        if (bidirectional)
        {
            n /= 2;
            result += relative > 0 ? n : 0;
            relative = Math.Abs(relative);
        }
        else
        {
            relative = -Math.Min(relative, 0);
        }

        var maxExact = n / 2;
        if (relative < maxExact)
        {
            return result + relative;
        }

        var scaled = MathF.Log(relative / (float)maxExact) / (float)Math.Log(maxDistance / (double)maxExact) * (n - maxExact);
        var large = maxExact + (int)scaled;
        return result + Math.Min(large, n - 1);
    }

    /// <summary>The bias table <c>[heads, queries, keys]</c> from the learned <c>[buckets, heads]</c> embedding.</summary>
    public static float[] Bias(float[] table, int heads, int queries, int keys, bool bidirectional, int buckets, int maxDistance)
    {
        var bias = new float[heads * queries * keys];
        for (var q = 0; q < queries; q++)
        {
            for (var k = 0; k < keys; k++)
            {
                var b = Bucket(k - q, bidirectional, buckets, maxDistance);
                for (var h = 0; h < heads; h++)
                {
                    bias[(((h * queries) + q) * keys) + k] = table[(b * heads) + h];
                }
            }
        }

        return bias;
    }
}
