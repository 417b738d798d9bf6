using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// The managed-SIMD CPU implementation of <see cref="IComputeBackend"/>: the blocked <see cref="Gemm"/> over <see cref="PackedMatrix"/>
/// weights and row kernels built on <c>TensorPrimitives</c>, parallel over rows, heads and column panels.
/// </summary>
internal sealed unsafe partial class CpuBackend : IComputeBackend
{
    /// <summary>Creates the backend.</summary>
    /// <param name="threads">Worker threads; null for every core.</param>
    /// <param name="precision">Matrix-product arithmetic.</param>
    public CpuBackend(int? threads = null, ComputePrecision precision = ComputePrecision.Float32)
    {
        Precision = precision;
        Parallel = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };
    }

    /// <inheritdoc/>
    public string Description
        => $"cpu: {KernelName(Gemm.Kernel)} GEMM, {Threads} thread{(Threads == 1 ? string.Empty : "s")}, {(Precision == ComputePrecision.Float32 ? "fp32" : "bf16 inputs with fp32 accumulation (" + BFloat16Path + ")")}";

    /// <inheritdoc/>
    public ComputePrecision Precision { get; }

    /// <inheritdoc/>
    public ParallelOptions Parallel { get; set; }

    /// <summary>How the bf16 compute path multiplies on this CPU.</summary>
    internal static string BFloat16Path
        => Avx512F.IsSupported ? "AVX-512 bf16→fp32 widening" : Avx2.IsSupported ? "AVX2 bf16→fp32 widening" : "scalar bf16→fp32 widening";

    private int Threads => Parallel.MaxDegreeOfParallelism > 0 ? Parallel.MaxDegreeOfParallelism : Environment.ProcessorCount;

    /// <inheritdoc/>
    public DeviceBuffer Allocate(long length) => CpuBuffer.Allocate(length);

    /// <inheritdoc/>
    public DeviceBuffer Upload(ReadOnlySpan<float> values)
    {
        var buffer = CpuBuffer.Allocate(values.Length);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    /// <inheritdoc/>
    public void Download(DeviceBuffer source, Span<float> destination)
        => CpuBuffer.Of(source).Range(0, destination.Length).CopyTo(destination);

    /// <inheritdoc/>
    public void Copy(DeviceBuffer source, DeviceBuffer destination, long count)
    {
        var n = checked((int)count);
        CpuBuffer.Of(source).Range(0, n).CopyTo(CpuBuffer.Of(destination).Range(0, n));
    }

    /// <inheritdoc/>
    public LinearWeights CreateLinear(int inputs, IReadOnlyList<LinearPart> parts, WeightType storage)
        => PackedMatrix.Pack(inputs, parts, Precision == ComputePrecision.BFloat16 ? WeightType.BF16 : storage, Parallel);

    /// <inheritdoc/>
    public EmbeddingTable CreateEmbedding(HostTensor rows, WeightType storage)
        => CpuEmbedding.Create(rows, Precision == ComputePrecision.BFloat16 ? WeightType.BF16 : storage);

    /// <inheritdoc/>
    public EmbeddingTable EmbeddingOf(LinearWeights tiedHead) => CpuEmbedding.ViewOf(Packed(tiedHead));

    /// <inheritdoc/>
    public DeviceBatch Prepare(ForwardBatch batch, int[] positions, float[] rotaryCos, float[] rotarySin)
        => new CpuBatch(batch, positions, rotaryCos, rotarySin);

    /// <inheritdoc/>
    public void Gather(DeviceBatch batch, EmbeddingTable table, bool byPosition, int offset, DeviceBuffer output, bool accumulate)
    {
        var t = (CpuEmbedding)table;
        var ids = byPosition ? batch.Positions : batch.Batch.Tokens;
        var o = CpuBuffer.Of(output);
        var width = t.Width;
        var scratch = accumulate ? new float[width] : [];
        for (var i = 0; i < ids.Length; i++)
        {
            var row = ids[i] + offset;
            if ((uint)row >= (uint)t.Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), $"{(byPosition ? "position" : "token id")} {ids[i]} is outside the table's {t.Rows - offset} rows.");
            }

            t.ReadRow(row, o.Range((long)i * width, width), scratch, accumulate);
        }
    }

    /// <inheritdoc/>
    public void MatMul(DeviceBuffer input, int rows, LinearWeights weights, DeviceBuffer output, bool accumulate)
    {
        var b = Packed(weights);
        var a = CpuBuffer.Of(input);
        var c = CpuBuffer.Of(output);
        if ((long)rows * b.K > a.Length || (long)rows * b.N > c.Length)
        {
            throw new ArgumentException($"matrix product buffers hold {a.Length} and {c.Length} elements, fewer than [{rows}, {b.K}] and [{rows}, {b.N}].");
        }

        Gemm.Multiply(a.Pointer, rows, b, c.Pointer, accumulate, Parallel, Precision == ComputePrecision.BFloat16);
    }

    /// <inheritdoc/>
    public void Normalize(NormKind kind, DeviceBuffer input, int rows, int width, DeviceBuffer? weight, DeviceBuffer? bias, float epsilon, DeviceBuffer output)
    {
        var x = CpuBuffer.Of(input);
        var y = CpuBuffer.Of(output);
        var w = weight is null ? null : CpuBuffer.Of(weight);
        var b = bias is null ? null : CpuBuffer.Of(bias);
        ForRows(rows, width, (r0, r1) =>
        {
            var ws = w is null ? default : w.Range(0, width);
            var bs = b is null ? default : b.Range(0, width);
            for (var r = r0; r < r1; r++)
            {
                var src = x.Range((long)r * width, width);
                var dst = y.Range((long)r * width, width);
                if (kind == NormKind.RmsNorm)
                {
                    Kernels.RmsNorm(src, ws, epsilon, dst);
                }
                else
                {
                    Kernels.LayerNorm(src, ws, bs, epsilon, dst);
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Rotary(DeviceBatch batch, DeviceBuffer qkv, QkvLayout layout, int rotaryDimensions)
    {
        var cpu = (CpuBatch)batch;
        var x = CpuBuffer.Of(qkv);
        var half = rotaryDimensions / 2;
        var width = layout.Width;
        ForRows(batch.TokenCount, width, (r0, r1) =>
        {
            for (var r = r0; r < r1; r++)
            {
                var cos = cpu.Cos.AsSpan(r * half, half);
                var sin = cpu.Sin.AsSpan(r * half, half);
                var row = x.Range((long)r * width, width);
                Kernels.RotaryInPlace(cos, sin, layout.QueryHeads, layout.HeadDimension, rotaryDimensions, row[..layout.QueryWidth]);
                Kernels.RotaryInPlace(cos, sin, layout.KeyValueHeads, layout.HeadDimension, rotaryDimensions, row.Slice(layout.QueryWidth, layout.KeyValueWidth));
            }
        });
    }

    /// <inheritdoc/>
    public void StoreKeyValues(DeviceBatch batch, int layer, DeviceBuffer qkv, QkvLayout layout)
    {
        var b = batch.Batch;
        var x = CpuBuffer.Of(qkv);
        var width = layout.Width;
        var kvDim = layout.KeyValueWidth;
        for (var s = 0; s < b.SequenceCount; s++)
        {
            var store = b.Stores[s];
            if (store is null)
            {
                continue;
            }

            var offset = b.PastLength(s);
            var count = b.Starts[s + 1] - b.Starts[s];
            if (offset + count > store.Capacity)
            {
                throw new InvalidOperationException($"KV cache capacity exceeded: {offset + count} tokens into a cache of {store.Capacity}.");
            }

            var keys = CpuBuffer.Of(store.Keys[layer]);
            var values = CpuBuffer.Of(store.Values[layer]);
            for (var t = 0; t < count; t++)
            {
                var row = x.Range((long)(b.Starts[s] + t) * width, width);
                row.Slice(layout.QueryWidth, kvDim).CopyTo(keys.Range((long)(offset + t) * kvDim, kvDim));
                row.Slice(layout.QueryWidth + kvDim, kvDim).CopyTo(values.Range((long)(offset + t) * kvDim, kvDim));
            }
        }
    }

    /// <inheritdoc/>
    public void Activate(Activation activation, DeviceBuffer input, int rows, int width, DeviceBuffer output)
    {
        var x = CpuBuffer.Of(input);
        var y = CpuBuffer.Of(output);
        var outWidth = activation.Gated ? width / 2 : width;
        ForRows(rows, width, (r0, r1) =>
        {
            var scratch = new float[outWidth];
            for (var r = r0; r < r1; r++)
            {
                var src = x.Range((long)r * width, width);
                var dst = y.Range((long)r * outWidth, outWidth);
                if (activation.Gated)
                {
                    // act(gate) · up, gate first (Llama's gate_proj/up_proj, Phi-3's gate_up_proj chunk order).
                    Kernels.Activate(activation.Function, src[..outWidth], scratch, dst);
                    TensorPrimitives.Multiply(dst, src.Slice(outWidth, outWidth), dst);
                }
                else
                {
                    Kernels.Activate(activation.Function, src, scratch, dst);
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Add(DeviceBuffer accumulator, DeviceBuffer addend, long count)
    {
        var a = CpuBuffer.Of(accumulator).Range(0, checked((int)count));
        TensorPrimitives.Add(a, CpuBuffer.Of(addend).Range(0, checked((int)count)), a);
    }

    /// <inheritdoc/>
    public void Scale(DeviceBuffer values, long count, float factor)
    {
        var v = CpuBuffer.Of(values).Range(0, checked((int)count));
        TensorPrimitives.Multiply(v, factor, v);
    }

    /// <inheritdoc/>
    public void SoftCap(DeviceBuffer values, long count, float cap)
        => Kernels.SoftCapInPlace(CpuBuffer.Of(values).Range(0, checked((int)count)), cap);

    /// <inheritdoc/>
    public void SelectRows(DeviceBatch batch, DeviceBuffer input, int width, DeviceBuffer output)
    {
        var x = CpuBuffer.Of(input);
        var y = CpuBuffer.Of(output);
        var rows = batch.Batch.OutputRows;
        for (var r = 0; r < rows.Length; r++)
        {
            x.Range((long)rows[r] * width, width).CopyTo(y.Range((long)r * width, width));
        }
    }

    /// <inheritdoc/>
    public RowScores ScoreRows(DeviceBuffer logits, int rows, int width, IReadOnlyList<int>[] targets)
    {
        var x = CpuBuffer.Of(logits);
        var logSumExp = new double[rows];
        var argMax = new int[rows];
        var gathered = new float[rows][];
        System.Threading.Tasks.Parallel.For(0, rows, Parallel, r =>
        {
            var row = x.Range((long)r * width, width);
            logSumExp[r] = Kernels.LogSumExp(row);
            argMax[r] = TensorPrimitives.IndexOfMax(row);
            var wanted = targets[r];
            var values = new float[wanted.Count];
            for (var k = 0; k < values.Length; k++)
            {
                values[k] = row[wanted[k]];
            }

            gathered[r] = values;
        });
        return new RowScores(logSumExp, argMax, gathered);
    }

    private static PackedMatrix Packed(LinearWeights weights)
        => weights as PackedMatrix ?? throw new ArgumentException($"a {weights.GetType().Name} is not CPU weights; weights cannot be shared between backends.", nameof(weights));

    private static string KernelName(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Avx512 => "AVX-512",
        GemmKernel.Avx2 => "AVX2+FMA",
        GemmKernel.Vector128 => "Vector128",
        _ => "scalar",
    };

    /// <summary>Splits rows into one range per worker when there is enough work.</summary>
    private void ForRows(int rows, int width, Action<int, int> body)
    {
        var workers = Threads;
        if (workers == 1 || (long)rows * width < 32_768)
        {
            body(0, rows);
            return;
        }

        var per = (rows + workers - 1) / workers;
        System.Threading.Tasks.Parallel.For(0, workers, Parallel, w =>
        {
            var r0 = w * per;
            var r1 = Math.Min(rows, r0 + per);
            if (r0 < r1)
            {
                body(r0, r1);
            }
        });
    }
}
