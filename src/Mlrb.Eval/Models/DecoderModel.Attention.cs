using System.Buffers;
using System.Numerics.Tensors;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>Causal multi-head attention with grouped key/value heads over an optional cached prefix.</summary>
internal sealed partial class DecoderModel
{
    private void Attention(ForwardBatch batch, int layer, float[] qkv, float[] output, ParallelOptions parallel)
    {
        var c = Config;
        var heads = c.HeadCount;
        var work = batch.SequenceCount * heads;
        long cost = 0;
        for (var s = 0; s < batch.SequenceCount; s++)
        {
            long t = batch.Starts[s + 1] - batch.Starts[s];
            cost += t * (t + (batch.Prefixes[s]?.Length ?? 0));
        }

        if (cost * heads * c.HeadDimension < 1 << 16 || parallel.MaxDegreeOfParallelism == 1)
        {
            for (var i = 0; i < work; i++)
            {
                AttendHead(batch, layer, qkv, output, i / heads, i % heads);
            }
        }
        else
        {
            Parallel.For(0, work, parallel, i => AttendHead(batch, layer, qkv, output, i / heads, i % heads));
        }
    }

    private void AttendHead(ForwardBatch batch, int layer, float[] qkv, float[] output, int sequence, int head)
    {
        var c = Config;
        var hd = c.HeadDimension;
        var qDim = c.HeadCount * hd;
        var kvDim = c.KeyValueHeadCount * hd;
        var width = qDim + (2 * kvDim);
        var group = head / (c.HeadCount / c.KeyValueHeadCount);
        var prefix = batch.Prefixes[sequence];
        var past = prefix?.Length ?? 0;
        var row0 = batch.Starts[sequence];
        var count = batch.Starts[sequence + 1] - row0;
        var scale = 1f / MathF.Sqrt(hd);
        var scores = ArrayPool<float>.Shared.Rent(past + count);
        try
        {
            for (var t = 0; t < count; t++)
            {
                var q = qkv.AsSpan(((row0 + t) * width) + (head * hd), hd);
                var n = past + t + 1;
                for (var j = 0; j < past; j++)
                {
                    scores[j] = TensorPrimitives.Dot(q, prefix!.Keys[layer].AsSpan((j * kvDim) + (group * hd), hd)) * scale;
                }

                for (var j = 0; j <= t; j++)
                {
                    scores[past + j] = TensorPrimitives.Dot(q, qkv.AsSpan(((row0 + j) * width) + qDim + (group * hd), hd)) * scale;
                }

                var p = scores.AsSpan(0, n);
                Kernels.SoftmaxInPlace(p);
                var o = output.AsSpan(((row0 + t) * qDim) + (head * hd), hd);
                o.Clear();
                for (var j = 0; j < past; j++)
                {
                    TensorPrimitives.MultiplyAdd(prefix!.Values[layer].AsSpan((j * kvDim) + (group * hd), hd), p[j], o, o);
                }

                for (var j = 0; j <= t; j++)
                {
                    TensorPrimitives.MultiplyAdd(qkv.AsSpan(((row0 + j) * width) + qDim + kvDim + (group * hd), hd), p[past + j], o, o);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
