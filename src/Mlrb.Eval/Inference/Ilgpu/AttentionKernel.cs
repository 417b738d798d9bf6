using ILGPU;
using ILGPU.Algorithms;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// Causal attention of one sequence over its cached prefix and its own new tokens, one thread per (token, query head): three passes over
/// the visible keys (max, Σ exp, Σ p·v) so no per-thread score array is needed. Soft-capping and a sliding window as the CPU backend.
/// </summary>
internal static class AttentionKernel
{
    /// <summary>The kernel.</summary>
    public static void Attend(Index1D iIndex, ArrayView<float> qkv, ArrayView<float> prefixKeys, ArrayView<float> prefixValues, AttentionShape s, ArrayView<float> output)
    {
        int i = iIndex;
        var t = i / s.QueryHeads;
        var head = i - (t * s.QueryHeads);
        var hd = s.HeadDimension;
        var group = head / s.GroupSize;
        var position = s.Past + t;
        var first = s.Window > 0 ? XMath.Max(0, position - s.Window + 1) : 0;
        var q = ((long)(s.Row0 + t) * s.Width) + (head * hd);

        var max = float.NegativeInfinity;
        for (var j = first; j <= position; j++)
        {
            max = XMath.Max(max, Score(qkv, prefixKeys, s, q, group, j));
        }

        double sumD = 0;
        for (var j = first; j <= position; j++)
        {
            sumD += XMath.Exp(Score(qkv, prefixKeys, s, q, group, j) - max);
        }

        var inverse = 1f / (float)sumD;
        var o = ((long)(s.Row0 + t) * s.QueryWidth) + (head * hd);
        for (var d = 0; d < hd; d++)
        {
            output[o + d] = 0f;
        }

        for (var j = first; j <= position; j++)
        {
            var p = XMath.Exp(Score(qkv, prefixKeys, s, q, group, j) - max) * inverse;
            var v = j < s.Past
                ? ((long)j * s.KeyValueWidth) + (group * hd)
                : ((long)(s.Row0 + j - s.Past) * s.Width) + s.QueryWidth + s.KeyValueWidth + (group * hd);
            for (var d = 0; d < hd; d++)
            {
                var value = j < s.Past ? prefixValues[v + d] : qkv[v + d];
                output[o + d] += p * value;
            }
        }
    }

    private static float Score(ArrayView<float> qkv, ArrayView<float> prefixKeys, AttentionShape s, long q, int group, int j)
    {
        var hd = s.HeadDimension;
        var dot = 0f;
        if (j < s.Past)
        {
            var k = ((long)j * s.KeyValueWidth) + (group * hd);
            for (var d = 0; d < hd; d++)
            {
                dot += qkv[q + d] * prefixKeys[k + d];
            }
        }
        else
        {
            var k = ((long)(s.Row0 + j - s.Past) * s.Width) + s.QueryWidth + (group * hd);
            for (var d = 0; d < hd; d++)
            {
                dot += qkv[q + d] * qkv[k + d];
            }
        }

        var score = dot * s.Scale;
        return s.SoftCap > 0f ? s.SoftCap * XMath.Tanh(score / s.SoftCap) : score;
    }
}
