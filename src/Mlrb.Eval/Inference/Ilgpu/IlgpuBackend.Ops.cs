using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>The forward-pass operations as ILGPU kernel launches.</summary>
internal sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void Gather(DeviceBatch batch, EmbeddingTable table, bool byPosition, int offset, DeviceBuffer output, bool accumulate)
    {
        var b = Batch(batch);
        var t = (IlgpuEmbedding)table;
        var ids = byPosition ? b.Positions : b.Batch.Tokens;
        foreach (var id in ids)
        {
            if ((uint)(id + offset) >= (uint)t.Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), $"{(byPosition ? "position" : "token id")} {id} is outside the table's {t.Rows - offset} rows.");
            }
        }

        var n = (long)ids.Length * t.Width;
        if (n == 0)
        {
            return;
        }

        Locked(() => _k.Gather(
            (int)n,
            byPosition ? b.DevicePositions : b.Tokens,
            t.Single,
            t.Bits,
            new GatherShape(t.Width, offset, t.Matrix.TypeCode, accumulate ? 1 : 0),
            IlgpuBuffer.Of(output).View));
    }

    /// <inheritdoc/>
    public void MatMul(DeviceBuffer input, int rows, LinearWeights weights, DeviceBuffer output, bool accumulate)
    {
        var w = Matrix(weights);
        var a = IlgpuBuffer.Of(input).View;
        var c = IlgpuBuffer.Of(output).View;
        if ((long)rows * w.Inputs > a.Length || (long)rows * w.Outputs > c.Length)
        {
            throw new ArgumentException($"matrix product buffers hold {a.Length} and {c.Length} elements, fewer than [{rows}, {w.Inputs}] and [{rows}, {w.Outputs}].");
        }

        if (rows == 0)
        {
            return;
        }

        Locked(() =>
        {
            _gemm.Multiply(a, rows, w, c, accumulate, Precision == ComputePrecision.BFloat16);
            if (w.Bias is { } bias)
            {
                _k.AddBias((int)((long)rows * w.Outputs), bias, w.Outputs, c);
            }
        });
    }

    /// <inheritdoc/>
    public void Normalize(NormKind kind, DeviceBuffer input, int rows, int width, DeviceBuffer? weight, DeviceBuffer? bias, float epsilon, DeviceBuffer output)
    {
        if (rows == 0)
        {
            return;
        }

        var shape = new NormShape(width, epsilon, kind == NormKind.RmsNorm ? 1 : 0, weight is null ? 0 : 1, bias is null ? 0 : 1);
        Locked(() => _k.Normalize(
            rows,
            IlgpuBuffer.Of(input).View,
            weight is null ? _emptyFloats.View : IlgpuBuffer.Of(weight).View,
            bias is null ? _emptyFloats.View : IlgpuBuffer.Of(bias).View,
            shape,
            IlgpuBuffer.Of(output).View));
    }

    /// <inheritdoc/>
    public void Rotary(DeviceBatch batch, DeviceBuffer qkv, QkvLayout layout, int rotaryDimensions)
    {
        var b = Batch(batch);
        var n = (long)b.TokenCount * (layout.QueryHeads + layout.KeyValueHeads) * (rotaryDimensions / 2);
        if (n == 0)
        {
            return;
        }

        var shape = new RotaryShape(layout.Width, layout.QueryHeads, layout.KeyValueHeads, layout.HeadDimension, rotaryDimensions);
        Locked(() => _k.Rotary((int)n, b.Cos, b.Sin, IlgpuBuffer.Of(qkv).View, shape));
    }

    /// <inheritdoc/>
    public void StoreKeyValues(DeviceBatch batch, int layer, DeviceBuffer qkv, QkvLayout layout)
    {
        var b = batch.Batch;
        var x = IlgpuBuffer.Of(qkv).View;
        var kvDim = layout.KeyValueWidth;
        Locked(() =>
        {
            for (var s = 0; s < b.SequenceCount; s++)
            {
                if (b.Stores[s] is not { } store)
                {
                    continue;
                }

                var offset = b.PastLength(s);
                var count = b.Starts[s + 1] - b.Starts[s];
                if (offset + count > store.Capacity)
                {
                    throw new InvalidOperationException($"KV cache capacity exceeded: {offset + count} tokens into a cache of {store.Capacity}.");
                }

                if (count * kvDim > 0)
                {
                    var shape = new StoreShape(layout.Width, layout.QueryWidth, kvDim, b.Starts[s], offset);
                    _k.StoreKeyValues(count * kvDim, x, shape, IlgpuBuffer.Of(store.Keys[layer]).View, IlgpuBuffer.Of(store.Values[layer]).View);
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Attention(DeviceBatch batch, int layer, DeviceBuffer qkv, QkvLayout layout, AttentionOptions options, DeviceBuffer output)
    {
        var b = batch.Batch;
        var x = IlgpuBuffer.Of(qkv).View;
        var o = IlgpuBuffer.Of(output).View;
        Locked(() =>
        {
            for (var s = 0; s < b.SequenceCount; s++)
            {
                var count = b.Starts[s + 1] - b.Starts[s];
                if (count == 0)
                {
                    continue;
                }

                var prefix = b.Prefixes[s];
                var shape = new AttentionShape(
                    b.Starts[s], count, b.PastLength(s), layout.Width, layout.QueryWidth, layout.KeyValueWidth, layout.HeadDimension,
                    layout.QueryHeads, layout.QueryHeads / layout.KeyValueHeads, options.Scale, options.SoftCap ?? 0f, options.SlidingWindow ?? 0);
                _k.Attend(
                    count * layout.QueryHeads,
                    x,
                    prefix is null ? _emptyFloats.View : IlgpuBuffer.Of(prefix.Keys[layer]).View,
                    prefix is null ? _emptyFloats.View : IlgpuBuffer.Of(prefix.Values[layer]).View,
                    shape,
                    o);
            }
        });
    }

    /// <inheritdoc/>
    public void Activate(Activation activation, DeviceBuffer input, int rows, int width, DeviceBuffer output)
    {
        var outWidth = activation.Gated ? width / 2 : width;
        var n = (long)rows * outWidth;
        if (n == 0)
        {
            return;
        }

        Locked(() => _k.Activate((int)n, IlgpuBuffer.Of(input).View, width, outWidth, (int)activation.Function, activation.Gated ? 1 : 0, IlgpuBuffer.Of(output).View));
    }

    /// <inheritdoc/>
    public void Add(DeviceBuffer accumulator, DeviceBuffer addend, long count)
    {
        if (count > 0)
        {
            Locked(() => _k.Add((int)count, IlgpuBuffer.Of(accumulator).View.SubView(0, count), IlgpuBuffer.Of(addend).View.SubView(0, count)));
        }
    }

    /// <inheritdoc/>
    public void Scale(DeviceBuffer values, long count, float factor)
    {
        if (count > 0)
        {
            Locked(() => _k.Scale((int)count, IlgpuBuffer.Of(values).View, factor));
        }
    }

    /// <inheritdoc/>
    public void SoftCap(DeviceBuffer values, long count, float cap)
    {
        if (count > 0)
        {
            Locked(() => _k.SoftCap((int)count, IlgpuBuffer.Of(values).View, cap));
        }
    }

    /// <inheritdoc/>
    public void SelectRows(DeviceBatch batch, DeviceBuffer input, int width, DeviceBuffer output)
    {
        var b = Batch(batch);
        var n = (long)b.Batch.OutputRows.Length * width;
        if (n > 0)
        {
            Locked(() => _k.SelectRows((int)n, b.OutputRows, IlgpuBuffer.Of(input).View, width, IlgpuBuffer.Of(output).View));
        }
    }

    /// <inheritdoc/>
    public RowScores ScoreRows(DeviceBuffer logits, int rows, int width, IReadOnlyList<int>[] targets)
    {
        var logSumExp = new double[rows];
        var argMax = new int[rows];
        var gathered = new float[rows][];
        var total = targets.Sum(t => t.Count);
        var rowOf = new int[total];
        var ids = new int[total];
        var at = 0;
        for (var r = 0; r < rows; r++)
        {
            foreach (var id in targets[r])
            {
                if ((uint)id >= (uint)width)
                {
                    throw new ArgumentOutOfRangeException(nameof(targets), $"target id {id} is outside the {width} logits.");
                }

                rowOf[at] = r;
                ids[at++] = id;
            }
        }

        var values = new float[total];
        if (rows > 0)
        {
            lock (_device.Gate)
            {
                _device.Bind();
                var x = IlgpuBuffer.Of(logits).View;
                var lse = _logSumExp.Reserve(rows);
                var arg = _argMax.Reserve(rows);
                _k.Statistics(rows, x, width, lse, arg);
                if (total > 0)
                {
                    var output = _targetLogits.Reserve(total);
                    _k.GatherTargets(total, x, width, _targetRows.Upload(rowOf), _targetIds.Upload(ids), output);
                    output.CopyToCPU(_accelerator.DefaultStream, values.AsSpan());
                }

                lse.CopyToCPU(_accelerator.DefaultStream, logSumExp.AsSpan());
                arg.CopyToCPU(_accelerator.DefaultStream, argMax.AsSpan());
                _accelerator.DefaultStream.Synchronize();
            }
        }

        at = 0;
        for (var r = 0; r < rows; r++)
        {
            gathered[r] = values.AsSpan(at, targets[r].Count).ToArray();
            at += targets[r].Count;
        }

        return new RowScores(logSumExp, argMax, gathered);
    }
}
