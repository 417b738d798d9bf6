using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>
/// Creates backend weights from the tensors of a model folder, one layer at a time: each tensor is mapped, checked against the shape
/// config.json implies, handed to the backend in its own dtype and unmapped, so loading never holds a second copy of the model.
/// An adapter (<see cref="IWeightAdapter"/>) may replace a tensor by a merged fp32 matrix.
/// </summary>
internal sealed unsafe class WeightBinder(WeightStore store, IComputeBackend backend, IWeightAdapter? adapter = null)
{
    public WeightStore Store { get; } = store;

    public IComputeBackend Backend { get; } = backend;

    /// <summary>Whether the checkpoint has the tensor.</summary>
    public bool Has(string name) => Store.Contains(name);

    /// <summary>The first of <paramref name="names"/> the checkpoint has, or null.</summary>
    public string? FirstPresent(params string[] names) => names.FirstOrDefault(Store.Contains);

    /// <summary>A required fp32 vector (norm weight, bias).</summary>
    public float[] Vector(string name, int length)
    {
        var values = Store.Read(name, length);
        return adapter?.ReplaceVector(name, values) ?? values;
    }

    /// <summary>An optional fp32 vector; null when absent.</summary>
    public float[]? OptionalVector(string name, int length) => Store.Contains(name) ? Vector(name, length) : null;

    /// <summary>A norm from <c>{prefix}weight</c> and, when present (or required), <c>{prefix}bias</c>.</summary>
    /// <param name="prefix">Tensor name prefix, ending with a dot.</param>
    /// <param name="width">Elements.</param>
    /// <param name="bias">Whether a bias is required (LayerNorm); false reads it only if present.</param>
    /// <param name="addOne">Gemma's RMSNorm scales by <c>1 + weight</c>: the sum is stored (computed in fp32 as the reference does).</param>
    public NormWeights Norm(string prefix, int width, bool bias = false, bool addOne = false)
    {
        var w = Vector(prefix + "weight", width);
        if (addOne)
        {
            for (var i = 0; i < w.Length; i++)
            {
                w[i] = 1f + w[i];
            }
        }

        var b = bias ? Vector(prefix + "bias", width) : OptionalVector(prefix + "bias", width);
        return new NormWeights(Backend.Upload(w), b is null ? null : Backend.Upload(b));
    }

    /// <summary>An embedding table <c>[rows, width]</c> in its own dtype.</summary>
    public EmbeddingTable Embedding(string name, int rows, int width)
    {
        using var source = Source(name, rows, width, inputMajor: false);
        return Backend.CreateEmbedding(source.Tensor, source.Tensor.Type);
    }

    /// <summary>
    /// A linear layer whose output features are the concatenation of <paramref name="blocks"/>. Weights stay in their checkpoint dtype
    /// (fp32 when the blocks' dtypes differ or an adapter merged one).
    /// </summary>
    public LinearWeights Linear(int inputs, params LinearBlock[] blocks)
    {
        var sources = new Dictionary<string, WeightSource>(StringComparer.Ordinal);
        try
        {
            var parts = new List<LinearPart>(blocks.Length);
            foreach (var block in blocks)
            {
                if (!sources.TryGetValue(block.Name, out var source))
                {
                    var (rows, columns) = block.InputMajor ? (inputs, block.TensorOutputs) : (block.TensorOutputs, inputs);
                    source = Source(block.Name, rows, columns, block.InputMajor);
                    sources.Add(block.Name, source);
                }

                var tensor = block.InputMajor
                    ? source.Tensor.SliceColumns(block.Start, block.Count)
                    : source.Tensor.SliceRows(block.Start, block.Count);
                float[]? bias = null;
                if (block.Bias is { } biasName)
                {
                    var all = Vector(biasName, block.TensorOutputs);
                    bias = block.Start == 0 && block.Count == all.Length ? all : all.AsSpan(block.Start, block.Count).ToArray();
                }

                parts.Add(new LinearPart(tensor, block.InputMajor, bias));
            }

            var types = parts.Select(p => p.Weight.Type).Distinct().ToList();
            return Backend.CreateLinear(inputs, parts, types.Count == 1 ? types[0] : WeightType.F32);
        }
        finally
        {
            foreach (var s in sources.Values)
            {
                s.Dispose();
            }
        }
    }

    private WeightSource Source(string name, int rows, int columns, bool inputMajor)
    {
        var mapped = Store.Map(name, rows, columns);
        if (adapter?.ReplaceMatrix(name, mapped.Matrix(rows, columns), inputMajor) is { } merged)
        {
            // The merge W + scale·B·A is kept in fp32, unrounded (a bf16/fp16 base keeps its other tensors in their dtype).
            mapped.Dispose();
            return new WeightSource(null, merged, WeightType.F32, rows, columns);
        }

        return new WeightSource(mapped, null, mapped.Type, rows, columns);
    }

    /// <summary>A tensor being read: mapped in place, or an adapter's merged replacement (pinned).</summary>
    private sealed class WeightSource : IDisposable
    {
        private readonly MappedTensor? _mapped;
        private readonly System.Runtime.InteropServices.GCHandle _pin;

        public WeightSource(MappedTensor? mapped, Array? merged, WeightType type, int rows, int columns)
        {
            _mapped = mapped;
            if (merged is not null)
            {
                _pin = System.Runtime.InteropServices.GCHandle.Alloc(merged, System.Runtime.InteropServices.GCHandleType.Pinned);
                Tensor = new HostTensor(_pin.AddrOfPinnedObject().ToPointer(), type, rows, columns, columns);
            }
            else
            {
                Tensor = mapped!.Matrix(rows, columns);
            }
        }

        public HostTensor Tensor { get; }

        public void Dispose()
        {
            _mapped?.Dispose();
            if (_pin.IsAllocated)
            {
                _pin.Free();
            }
        }
    }
}

/// <summary>
/// A block of a linear layer's output features taken from one checkpoint tensor: rows <c>[Start, Start + Count)</c> of an
/// <c>[TensorOutputs, inputs]</c> nn.Linear weight, or the same columns of an <c>[inputs, TensorOutputs]</c> Conv1D weight.
/// </summary>
/// <param name="Name">Weight tensor name.</param>
/// <param name="TensorOutputs">Output features of the whole tensor.</param>
/// <param name="Start">First output feature taken.</param>
/// <param name="Count">Output features taken.</param>
/// <param name="Bias">Bias tensor name (<c>[TensorOutputs]</c>), or null.</param>
/// <param name="InputMajor">Whether the tensor is <c>[inputs, outputs]</c>.</param>
internal sealed record LinearBlock(string Name, int TensorOutputs, int Start, int Count, string? Bias = null, bool InputMajor = false)
{
    /// <summary>A whole <c>[outputs, inputs]</c> tensor.</summary>
    public static LinearBlock Whole(string name, int outputs, string? bias = null) => new(name, outputs, 0, outputs, bias);

    /// <summary>A whole <c>[inputs, outputs]</c> (Conv1D) tensor.</summary>
    public static LinearBlock WholeInputMajor(string name, int outputs, string? bias = null) => new(name, outputs, 0, outputs, bias, InputMajor: true);
}

/// <summary>Replaces checkpoint tensors while they are loaded (a LoRA adapter merged into its base).</summary>
internal interface IWeightAdapter
{
    /// <summary>A merged fp32 <c>[rows, columns]</c> matrix for <paramref name="name"/>, or null to load the tensor as it is.</summary>
    /// <param name="name">Checkpoint tensor name.</param>
    /// <param name="original">The checkpoint's tensor.</param>
    /// <param name="inputMajor">Whether the tensor is stored <c>[inputs, outputs]</c> (GPT-2's Conv1D) rather than as an nn.Linear weight.</param>
    float[]? ReplaceMatrix(string name, HostTensor original, bool inputMajor);

    /// <summary>A replacement for a vector (a bias or norm trained as a whole module), or null.</summary>
    float[]? ReplaceVector(string name, float[] original);

    /// <summary>Called once the model is bound: throws when part of the adapter matched no weight of the model.</summary>
    void EnsureApplied();
}
