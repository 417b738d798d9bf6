using System.Buffers;


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

    private static unsafe void AttendHead(ForwardBatch batch, int layer, CpuBuffer qkv, QkvLayout layout, AttentionOptions options, CpuBuffer output, int sequence, int head)
    {
        var hd = layout.HeadDimension;
        var qDim = layout.QueryWidth;
        var kvDim = layout.KeyValueWidth;
        var width = layout.Width;
        var group = head / (layout.QueryHeads / layout.KeyValueHeads);
        var prefix = batch.Prefixes[sequence];
        var past = batch.PastLength(sequence);
        var row0 = batch.Starts[sequence];
        var count = batch.Starts[sequence + 1] - row0;
        if ((long)(row0 + count) * width > qkv.Length || (long)(row0 + count) * qDim > output.Length)
        {
            throw new ArgumentException($"attention buffers are smaller than the batch's {row0 + count} rows.");
        }

        // Keys/values of the cached prefix ([past, kvDim] rows) and of this pass (rows of the fused qkv buffer).
        float* prefixKeys = null, prefixValues = null;
        if (prefix is not null)
        {
            var pk = CpuBuffer.Of(prefix.Keys[layer]);
            var pv = CpuBuffer.Of(prefix.Values[layer]);
            if ((long)past * kvDim > pk.Length || (long)past * kvDim > pv.Length)
            {
                throw new ArgumentException($"the cached prefix holds fewer than {past} positions.");
            }

            prefixKeys = pk.Pointer + (group * hd);
            prefixValues = pv.Pointer + (group * hd);
        }

        var rows = qkv.Pointer + ((long)row0 * width);
        var keys = rows + qDim + (group * hd);
        var values = keys + kvDim;
        var scale = options.Scale;
        var scores = ArrayPool<float>.Shared.Rent(past + count);
        try
        {
            fixed (float* ps = scores)
            {
                for (var t = 0; t < count; t++)
                {
                    // Keys at absolute positions [first, past + t] are visible: all of them, or the last `window` with a sliding window.
                    var position = past + t;
                    var first = options.SlidingWindow is { } window ? Math.Max(0, position - window + 1) : 0;
                    var q = rows + ((long)t * width) + (head * hd);
                    var n = position + 1 - first;
                    var split = Math.Max(first, past);
                    if (past > first)
                    {
                        AttentionKernels.Scores(q, prefixKeys + ((long)first * kvDim), kvDim, past - first, hd, scale, ps);
                    }

                    AttentionKernels.Scores(q, keys + ((long)(split - past) * width), width, position + 1 - split, hd, scale, ps + (split - first));

                    var p = new Span<float>(ps, n);
                    if (options.SoftCap is { } cap)
                    {
                        Kernels.SoftCapInPlace(p, cap);
                    }

                    Kernels.SoftmaxInPlace(p);
                    var o = output.Pointer + (((long)row0 + t) * qDim) + (head * hd);
                    AttentionKernels.WeightedSum(
                        ps, prefixValues + ((long)first * kvDim), kvDim, Math.Max(0, past - first), values + ((long)(split - past) * width), width, position + 1 - split, o, hd);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
