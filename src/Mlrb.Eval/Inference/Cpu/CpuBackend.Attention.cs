using System.Buffers;
using System.Numerics.Tensors;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>Causal multi-head attention with grouped key/value heads over an optional cached prefix, soft-capping and a sliding window.</summary>
internal sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Attention(DeviceBatch batch, int layer, DeviceBuffer qkv, QkvLayout layout, AttentionOptions options, DeviceBuffer output)
    {
        var b = batch.Batch;
        var heads = layout.QueryHeads;
        var work = b.SequenceCount * heads;
        long cost = 0;
        for (var s = 0; s < b.SequenceCount; s++)
        {
            long t = b.Starts[s + 1] - b.Starts[s];
            cost += t * (t + b.PastLength(s));
        }

        var x = CpuBuffer.Of(qkv);
        var o = CpuBuffer.Of(output);
        if (cost * heads * layout.HeadDimension < 1 << 16 || Parallel.MaxDegreeOfParallelism == 1)
        {
            for (var i = 0; i < work; i++)
            {
                AttendHead(b, layer, x, layout, options, o, i / heads, i % heads);
            }
        }
        else
        {
            System.Threading.Tasks.Parallel.For(0, work, Parallel, i => AttendHead(b, layer, x, layout, options, o, i / heads, i % heads));
        }
    }

    private static void AttendHead(ForwardBatch batch, int layer, CpuBuffer qkv, QkvLayout layout, AttentionOptions options, CpuBuffer output, int sequence, int head)
    {
        var hd = layout.HeadDimension;
        var qDim = layout.QueryWidth;
        var kvDim = layout.KeyValueWidth;
        var width = layout.Width;
        var group = head / (layout.QueryHeads / layout.KeyValueHeads);
        var prefix = batch.Prefixes[sequence];
        var past = batch.PastLength(sequence);
        var prefixKeys = prefix is null ? null : CpuBuffer.Of(prefix.Keys[layer]);
        var prefixValues = prefix is null ? null : CpuBuffer.Of(prefix.Values[layer]);
        var row0 = batch.Starts[sequence];
        var count = batch.Starts[sequence + 1] - row0;
        var scale = options.Scale;
        var scores = ArrayPool<float>.Shared.Rent(past + count);
        try
        {
            for (var t = 0; t < count; t++)
            {
                // Keys at absolute positions [first, past + t] are visible: all of them, or the last `window` with a sliding window.
                var position = past + t;
                var first = options.SlidingWindow is { } window ? Math.Max(0, position - window + 1) : 0;
                var q = qkv.Range((((long)row0 + t) * width) + (head * hd), hd);
                var n = position + 1 - first;
                for (var j = first; j < past; j++)
                {
                    scores[j - first] = TensorPrimitives.Dot(q, prefixKeys!.Range(((long)j * kvDim) + (group * hd), hd)) * scale;
                }

                for (var j = Math.Max(first, past); j <= position; j++)
                {
                    scores[j - first] = TensorPrimitives.Dot(q, qkv.Range((((long)row0 + j - past) * width) + qDim + (group * hd), hd)) * scale;
                }

                var p = scores.AsSpan(0, n);
                if (options.SoftCap is { } cap)
                {
                    Kernels.SoftCapInPlace(p, cap);
                }

                Kernels.SoftmaxInPlace(p);
                var o = output.Range((((long)row0 + t) * qDim) + (head * hd), hd);
                o.Clear();
                for (var j = first; j < past; j++)
                {
                    TensorPrimitives.MultiplyAdd(prefixValues!.Range(((long)j * kvDim) + (group * hd), hd), p[j - first], o, o);
                }

                for (var j = Math.Max(first, past); j <= position; j++)
                {
                    TensorPrimitives.MultiplyAdd(qkv.Range((((long)row0 + j - past) * width) + qDim + kvDim + (group * hd), hd), p[j - first], o, o);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
