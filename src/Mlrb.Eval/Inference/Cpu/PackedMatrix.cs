using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlrb.Eval.Inference.Cpu;

/// <summary>
/// The right-hand matrix B[K, N] of a GEMM, repacked once into column panels of <see cref="PanelWidth"/> elements, in its storage type
/// (fp32, fp16 or bf16): panel p holds columns [p·W, p·W+W) as K consecutive rows of W elements, zero-padded past N. The optional
/// fp32 bias is padded the same way. The storage array lives on the pinned object heap.
/// </summary>
internal sealed unsafe class PackedMatrix : LinearWeights
{
    public const int PanelWidth = 32;

    private readonly Array _storage;

    private PackedMatrix(int k, int n, WeightType type, Array storage, float[]? bias)
    {
        K = k;
        N = n;
        Type = type;
        PanelCount = (n + PanelWidth - 1) / PanelWidth;
        _storage = storage;
        Bias = bias;
    }

    /// <summary>Inner dimension (input features).</summary>
    public int K { get; }

    /// <summary>Output columns (output features).</summary>
    public int N { get; }

    /// <summary>Storage element type.</summary>
    public WeightType Type { get; }

    public int PanelCount { get; }

    /// <summary>Bias per column, padded to <c>PanelCount·PanelWidth</c>; null for none.</summary>
    public float[]? Bias { get; }

    /// <inheritdoc/>
    public override int Inputs => K;

    /// <inheritdoc/>
    public override int Outputs => N;

    /// <inheritdoc/>
    public override WeightType StorageType => Type;

    /// <inheritdoc/>
    public override long Bytes => ((long)_storage.Length * ElementSize) + (4L * (Bias?.Length ?? 0));

    /// <summary>Bytes per stored element.</summary>
    public int ElementSize => Type == WeightType.F32 ? 4 : 2;

    /// <summary>The packed panels, <c>[PanelCount, K, PanelWidth]</c> elements of <see cref="Type"/>.</summary>
    public byte* Data => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));

    /// <summary>The packed fp32 panels (fp32 storage only; tests).</summary>
    public float[] Floats => _storage as float[] ?? throw new InvalidOperationException($"the matrix is stored as {Type}, not F32.");

    /// <summary>Packs <paramref name="parts"/> (concatenated along the outputs) as <paramref name="storage"/>.</summary>
    /// <param name="k">Input features.</param>
    /// <param name="parts">The output blocks.</param>
    /// <param name="storage">Storage element type.</param>
    /// <param name="parallel">Threads for packing.</param>
    public static PackedMatrix Pack(int k, IReadOnlyList<LinearPart> parts, WeightType storage, ParallelOptions? parallel = null)
    {
        var n = 0;
        foreach (var part in parts)
        {
            if (part.Inputs != k)
            {
                throw new ArgumentException($"a weight block has {part.Inputs} input features, expected {k}.", nameof(parts));
            }

            n = checked(n + part.Outputs);
        }

        var panels = (n + PanelWidth - 1) / PanelWidth;
        var length = checked(panels * PanelWidth * k);
        Array array = storage == WeightType.F32
            ? GC.AllocateUninitializedArray<float>(Math.Max(1, length), pinned: true)
            : GC.AllocateUninitializedArray<ushort>(Math.Max(1, length), pinned: true);
        var matrix = new PackedMatrix(k, n, storage, array, PackBias(n, parts));
        if (n % PanelWidth != 0)
        {
            // The last panel's padding columns must be zero; clear the whole last panel before filling it.
            var size = matrix.ElementSize;
            new Span<byte>(matrix.Data + ((long)(panels - 1) * k * PanelWidth * size), k * PanelWidth * size).Clear();
        }

        // Output column ranges per part, packed in parallel over parts and, within a large part, over panels.
        var column = 0;
        foreach (var part in parts)
        {
            matrix.Fill(part, column, parallel);
            column += part.Outputs;
        }

        return matrix;
    }

    /// <summary>Packs fp32 PyTorch <c>nn.Linear</c> weights (<c>[out, in]</c>) concatenated along the outputs (tests, benchmarks).</summary>
    public static PackedMatrix FromOutputByInput(IReadOnlyList<float[]> parts, int k, IReadOnlyList<float[]?>? biases = null, WeightType storage = WeightType.F32)
        => PackArrays(parts.Select((p, i) => (p, p.Length / k, k, false, biases?[i])).ToList(), k, storage);

    /// <summary>Packs a fp32 <c>[k, n]</c> row-major matrix (GPT-2 <c>Conv1D</c> weights; tests, benchmarks).</summary>
    public static PackedMatrix FromInputByOutput(float[] w, int k, int n, float[]? bias = null, WeightType storage = WeightType.F32)
        => PackArrays([(w, k, n, true, bias)], k, storage);

    /// <summary>Copies column <paramref name="n"/> widened to fp32 (row n of the original <c>[out, in]</c> matrix, e.g. a tied embedding row).</summary>
    public void CopyColumn(int n, Span<float> destination)
    {
        var offset = ((long)(n / PanelWidth) * K * PanelWidth) + (n % PanelWidth);
        switch (Type)
        {
            case WeightType.F32:
                var f = (float*)Data + offset;
                for (var kk = 0; kk < K; kk++)
                {
                    destination[kk] = f[kk * PanelWidth];
                }

                break;
            case WeightType.BF16:
                var b = (ushort*)Data + offset;
                for (var kk = 0; kk < K; kk++)
                {
                    destination[kk] = BitConverter.UInt32BitsToSingle((uint)b[kk * PanelWidth] << 16);
                }

                break;
            default:
                var h = (Half*)Data + offset;
                for (var kk = 0; kk < K; kk++)
                {
                    destination[kk] = (float)h[kk * PanelWidth];
                }

                break;
        }
    }

    private static PackedMatrix PackArrays(List<(float[] Values, int Rows, int Columns, bool InputMajor, float[]? Bias)> arrays, int k, WeightType storage)
    {
        var handles = arrays.Select(a => GCHandle.Alloc(a.Values, GCHandleType.Pinned)).ToList();
        try
        {
            var parts = arrays.Select((a, i) => new LinearPart(
                new HostTensor(handles[i].AddrOfPinnedObject().ToPointer(), WeightType.F32, a.Rows, a.Columns, a.Columns), a.InputMajor, a.Bias)).ToList();
            return Pack(k, parts, storage);
        }
        finally
        {
            foreach (var h in handles)
            {
                h.Free();
            }
        }
    }

    private static float[]? PackBias(int n, IReadOnlyList<LinearPart> parts)
    {
        if (parts.All(p => p.Bias is null))
        {
            return null;
        }

        var result = new float[((n + PanelWidth - 1) / PanelWidth) * PanelWidth];
        var offset = 0;
        foreach (var part in parts)
        {
            if (part.Bias is { } bias)
            {
                if (bias.Length != part.Outputs)
                {
                    throw new ArgumentException($"a bias has {bias.Length} elements, expected {part.Outputs}.", nameof(parts));
                }

                bias.CopyTo(result, offset);
            }

            offset += part.Outputs;
        }

        return result;
    }

    /// <summary>Writes the part's output columns <c>[column0, column0 + part.Outputs)</c>.</summary>
    private void Fill(LinearPart part, int column0, ParallelOptions? parallel)
    {
        var outputs = part.Outputs;
        var firstPanel = column0 / PanelWidth;
        var lastPanel = (column0 + outputs - 1) / PanelWidth;
        var w = part.Weight;
        void FillPanel(int p)
        {
            var c0 = Math.Max(column0, p * PanelWidth);
            var c1 = Math.Min(column0 + outputs, (p + 1) * PanelWidth);
            if (part.InputMajor)
            {
                FillInputMajor(w, c0 - column0, c1 - c0, c0);
            }
            else
            {
                FillOutputMajor(w, c0 - column0, c1 - c0, c0);
            }
        }

        var panelCount = lastPanel - firstPanel + 1;
        if (parallel is null || panelCount < 8 || (long)outputs * K < 1 << 18)
        {
            for (var p = firstPanel; p <= lastPanel; p++)
            {
                FillPanel(p);
            }
        }
        else
        {
            Parallel.For(firstPanel, lastPanel + 1, parallel, FillPanel);
        }
    }

    /// <summary>Source rows <c>[r0, r0 + count)</c> of an <c>[out, in]</c> block become columns starting at <paramref name="column"/> (one panel).</summary>
    private void FillOutputMajor(HostTensor w, int r0, int count, int column)
    {
        var size = ElementSize;
        var panelBase = Data + ((long)(column / PanelWidth) * K * PanelWidth * size);
        var j0 = column % PanelWidth;
        Span<float> row = K <= 16384 ? stackalloc float[K] : new float[K];
        for (var r = 0; r < count; r++)
        {
            var src = w.Row(r0 + r);
            var dst = panelBase + ((j0 + r) * size);
            if (w.Type == Type && size == 2)
            {
                var s = (ushort*)src;
                var d = (ushort*)dst;
                for (var kk = 0; kk < K; kk++)
                {
                    d[(long)kk * PanelWidth] = s[kk];
                }
            }
            else if (w.Type == Type)
            {
                var s = (float*)src;
                var d = (float*)dst;
                for (var kk = 0; kk < K; kk++)
                {
                    d[(long)kk * PanelWidth] = s[kk];
                }
            }
            else
            {
                w.ReadRow(r0 + r, row);
                Store(row, dst, PanelWidth);
            }
        }
    }

    /// <summary>Columns <c>[c0, c0 + count)</c> of an <c>[in, out]</c> block become columns starting at <paramref name="column"/> (one panel).</summary>
    private void FillInputMajor(HostTensor w, int c0, int count, int column)
    {
        var size = ElementSize;
        var panelBase = Data + ((long)(column / PanelWidth) * K * PanelWidth * size);
        var j0 = column % PanelWidth;
        Span<float> segment = stackalloc float[PanelWidth];
        for (var kk = 0; kk < K; kk++)
        {
            var src = w.Row(kk) + ((long)c0 * w.ElementSize);
            var dst = panelBase + ((((long)kk * PanelWidth) + j0) * size);
            if (w.Type == Type)
            {
                new ReadOnlySpan<byte>(src, count * size).CopyTo(new Span<byte>(dst, count * size));
            }
            else
            {
                ElementConversion.ToSingle(src, w.Type, segment[..count]);
                ElementConversion.FromSingle(segment[..count], Type, dst);
            }
        }
    }

    /// <summary>Writes fp32 <paramref name="values"/> as <see cref="Type"/> at <paramref name="destination"/>, one every <paramref name="stride"/> elements.</summary>
    private void Store(ReadOnlySpan<float> values, byte* destination, int stride)
    {
        switch (Type)
        {
            case WeightType.F32:
                var f = (float*)destination;
                for (var i = 0; i < values.Length; i++)
                {
                    f[(long)i * stride] = values[i];
                }

                break;
            case WeightType.BF16:
                var b = (ushort*)destination;
                for (var i = 0; i < values.Length; i++)
                {
                    b[(long)i * stride] = ElementConversion.ToBFloat16(values[i]);
                }

                break;
            default:
                var h = (Half*)destination;
                for (var i = 0; i < values.Length; i++)
                {
                    h[(long)i * stride] = (Half)values[i];
                }

                break;
        }
    }
}
