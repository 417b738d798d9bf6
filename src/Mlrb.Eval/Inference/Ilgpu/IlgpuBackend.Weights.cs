using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>Weights: converted on the host to <c>[outputs, inputs]</c> rows in their storage type, then uploaded once.</summary>
internal sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public LinearWeights CreateLinear(int inputs, IReadOnlyList<LinearPart> parts, WeightType storage)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var outputs = parts.Sum(p => p.Outputs);
        var host = new float[(long)outputs * inputs];
        float[]? bias = parts.Any(p => p.Bias is not null) ? new float[outputs] : null;
        var n0 = 0;
        foreach (var part in parts)
        {
            if (part.Inputs != inputs)
            {
                throw new ArgumentException($"a linear part has {part.Inputs} inputs; the layer has {inputs}.", nameof(parts));
            }

            var w = part.Weight;
            if (part.InputMajor)
            {
                var row = new float[w.Columns];
                for (var k = 0; k < w.Rows; k++)
                {
                    w.ReadRow(k, row);
                    for (var j = 0; j < row.Length; j++)
                    {
                        host[((long)(n0 + j) * inputs) + k] = row[j];
                    }
                }
            }
            else
            {
                for (var r = 0; r < w.Rows; r++)
                {
                    w.ReadRow(r, host.AsSpan((int)((long)(n0 + r) * inputs), inputs));
                }
            }

            part.Bias?.CopyTo(bias!, n0);
            n0 += part.Outputs;
        }

        return Locked(() => UploadMatrix(inputs, outputs, host, bias, StorageFor(storage)));
    }

    /// <inheritdoc/>
    public EmbeddingTable CreateEmbedding(HostTensor rows, WeightType storage)
    {
        var host = new float[(long)rows.Rows * rows.Columns];
        for (var r = 0; r < rows.Rows; r++)
        {
            rows.ReadRow(r, host.AsSpan((int)((long)r * rows.Columns), rows.Columns));
        }

        return Locked(() => new IlgpuEmbedding(UploadMatrix(rows.Columns, rows.Rows, host, null, StorageFor(storage)), ownsRows: true));
    }

    /// <inheritdoc/>
    public EmbeddingTable EmbeddingOf(LinearWeights tiedHead) => new IlgpuEmbedding(Matrix(tiedHead), ownsRows: false);

    private WeightType StorageFor(WeightType storage) => Precision == ComputePrecision.BFloat16 ? WeightType.BF16 : storage;

    private unsafe DeviceMatrix UploadMatrix(int inputs, int outputs, float[] host, float[]? bias, WeightType storage)
    {
        MemoryBuffer1D<float, Stride1D.Dense>? biasBuffer = null;
        if (bias is not null)
        {
            biasBuffer = _accelerator.Allocate1D(bias);
            Memory.Add(DeviceMemoryKind.Weights, biasBuffer.LengthInBytes);
        }

        if (storage == WeightType.F32)
        {
            var single = _accelerator.Allocate1D(host.Length == 0 ? new float[1] : host);
            Memory.Add(DeviceMemoryKind.Weights, single.LengthInBytes);
            return new DeviceMatrix(inputs, outputs, storage, single.View, _emptyBits.View, biasBuffer?.View, single, biasBuffer);
        }

        var bits = new ushort[Math.Max(1, host.Length)];
        fixed (ushort* destination = bits)
        {
            ElementConversion.FromSingle(host, storage, (byte*)destination);
        }

        var buffer = _accelerator.Allocate1D(bits);
        Memory.Add(DeviceMemoryKind.Weights, buffer.LengthInBytes);
        return new DeviceMatrix(inputs, outputs, storage, _emptyFloats.View, buffer.View, biasBuffer?.View, buffer, biasBuffer);
    }
}
