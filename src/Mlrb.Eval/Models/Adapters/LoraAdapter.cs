using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Adapters;

/// <summary>
/// A PEFT LoRA adapter folder (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>) merged into its base while the base loads:
/// each targeted weight becomes <c>W + scale · B·A</c> (transposed for GPT-2's Conv1D and for embeddings, as PEFT's
/// <c>get_delta_weight</c> does), and the tensors of <c>modules_to_save</c> replace the base's. Every adapter tensor must land on a
/// weight of the base; one that does not is an error rather than a silently unmerged adapter.
/// </summary>
internal sealed partial class LoraAdapter : IWeightAdapter, IDisposable
{
    public const string WeightsFileName = "adapter_model.safetensors";
    private const string Prefix = "base_model.model.";
    private readonly SafeTensorsFile _file;
    private readonly Dictionary<string, LoraPair> _pairs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _replacements = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private LoraAdapter(string directory, LoraAdapterConfig config, SafeTensorsFile file)
    {
        Directory = directory;
        Config = config;
        _file = file;
    }

    public string Directory { get; }

    public LoraAdapterConfig Config { get; }

    /// <summary>Elements of every tensor in the adapter file (LoRA factors and saved modules).</summary>
    public long ParameterCount => _file.Tensors.Values.Sum(t => t.ElementCount);

    /// <summary>Modules with LoRA factors.</summary>
    public int LoraModuleCount => _pairs.Count;

    /// <summary>Opens and checks an adapter folder.</summary>
    public static LoraAdapter Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ModelFormatException(directory, null, "adapter folder not found.");
        }

        var config = LoraAdapterConfig.Read(directory);
        var path = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(path))
        {
            throw new ModelFormatException(directory, WeightsFileName, File.Exists(Path.Combine(directory, "adapter_model.bin"))
                ? "only adapter_model.bin is present; PyTorch pickle files are not loaded (they can run code). Save the adapter with safe_serialization=True."
                : "no adapter_model.safetensors in the adapter folder.");
        }

        var adapter = new LoraAdapter(directory, config, SafeTensorsFile.Open(path));
        try
        {
            adapter.Index();
            return adapter;
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }

    public float[]? ReplaceMatrix(string name, HostTensor original, bool inputMajor)
    {
        float[]? merged = null;
        if (Find(_replacements, name) is { } replacement)
        {
            merged = ReadReplacement(replacement.Key, original.Rows, original.Columns);
        }

        if (name.EndsWith(".weight", StringComparison.Ordinal) && Find(_pairs, name[..^".weight".Length]) is { } pair)
        {
            merged ??= Widen(original);
            Merge(pair.Key, pair.Value, merged, original.Rows, original.Columns, pair.Value.Embedding != inputMajor);
        }

        return merged;
    }

    public float[]? ReplaceVector(string name, float[] original)
        => Find(_replacements, name) is { } replacement ? ReadReplacement(replacement.Key, original.Length) : null;

    public void EnsureApplied()
    {
        var unused = _pairs.Values.Select(p => p.A!).Concat(_replacements.Values).Where(t => !_used.Contains(t)).Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
        {
            throw new ModelFormatException(_file.Path, unused[0],
                $"matches no weight of the base model ({unused.Count} adapter tensor(s) unmatched); is the adapter for a different base model?");
        }
    }

    public void Dispose() => _file.Dispose();

    [GeneratedRegex(@"^(?<module>.+)\.(?<kind>lora_A|lora_B)(\.[^.]+)?\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex LinearKey();

    [GeneratedRegex(@"^(?<module>.+)\.(?<kind>lora_embedding_A|lora_embedding_B)(\.[^.]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex EmbeddingKey();

    private void Index()
    {
        foreach (var (key, info) in _file.Tensors)
        {
            var name = key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
            if (name.Contains("lora_magnitude_vector", StringComparison.Ordinal))
            {
                throw new ModelFormatException(_file.Path, key, "is a DoRA magnitude vector; DoRA adapters are not supported.");
            }

            var m = LinearKey().Match(name);
            var embedding = false;
            if (!m.Success)
            {
                m = EmbeddingKey().Match(name);
                embedding = m.Success;
            }

            if (m.Success)
            {
                var module = m.Groups["module"].Value;
                var pair = _pairs.GetValueOrDefault(module) ?? new LoraPair(embedding);
                if (pair.Embedding != embedding)
                {
                    throw new ModelFormatException(_file.Path, key, "mixes embedding and linear LoRA factors for one module.");
                }

                _pairs[module] = m.Groups["kind"].Value.EndsWith('A') ? pair with { A = key } : pair with { B = key };
                continue;
            }

            if (name.Contains(".lora_", StringComparison.Ordinal))
            {
                throw new ModelFormatException(_file.Path, key, "is not a LoRA tensor the engine knows (lora_A/lora_B weights, lora_embedding_A/B).");
            }

            _replacements[name] = key;
        }

        foreach (var (module, pair) in _pairs)
        {
            if (pair.A is null || pair.B is null)
            {
                throw new ModelFormatException(_file.Path, pair.A ?? pair.B, $"module '{module}' has only one of its two LoRA factors.");
            }

            var a = _file.Tensors[pair.A];
            var b = _file.Tensors[pair.B];
            if (a.Shape.Length != 2 || b.Shape.Length != 2 || a.Shape[0] != b.Shape[1] || a.Shape[0] <= 0)
            {
                throw new ModelFormatException(_file.Path, pair.A,
                    $"LoRA factors of '{module}' have shapes A [{string.Join(", ", a.Shape)}] and B [{string.Join(", ", b.Shape)}]; expected A [r, in] and B [out, r].");
            }
        }

        if (_pairs.Count == 0 && _replacements.Count == 0)
        {
            throw new ModelFormatException(_file.Path, null, "the adapter has no tensors.");
        }
    }

    /// <summary>The entry for a checkpoint name: exact, or matching on whole dotted components (checkpoints saved without the model prefix).</summary>
    private static KeyValuePair<string, T>? Find<T>(Dictionary<string, T> entries, string name)
    {
        if (entries.TryGetValue(name, out var exact))
        {
            return new(name, exact);
        }

        KeyValuePair<string, T>? found = null;
        foreach (var entry in entries)
        {
            if (entry.Key.EndsWith("." + name, StringComparison.Ordinal) || name.EndsWith("." + entry.Key, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    throw new ModelFormatException(name, null, $"matches both adapter entries '{found.Value.Key}' and '{entry.Key}'.");
                }

                found = entry;
            }
        }

        return found;
    }

    private float[] ReadReplacement(string name, params int[] shape)
    {
        var tensor = _replacements[name];
        var info = _file.Tensors[tensor];
        if (info.ElementCount != shape.Aggregate(1L, (p, d) => p * d))
        {
            throw new ModelFormatException(_file.Path, tensor, $"has shape [{string.Join(", ", info.Shape)}], but the base's tensor is [{string.Join(", ", shape)}].");
        }

        var values = new float[info.ElementCount];
        _file.ReadFloat32(tensor, values);
        _used.Add(tensor);
        return values;
    }

    private static unsafe float[] Widen(HostTensor original)
    {
        var result = GC.AllocateUninitializedArray<float>(checked(original.Rows * original.Columns));
        for (var row = 0; row < original.Rows; row++)
        {
            original.ReadRow(row, result.AsSpan(row * original.Columns, original.Columns));
        }

        return result;
    }

    /// <summary>
    /// Adds <c>scale · B·A</c> (<c>[out, in]</c>) to <paramref name="weight"/>, or its transpose when the tensor is stored <c>[in, out]</c>
    /// (Conv1D) or is an embedding (PEFT's embedding delta is <c>(B·A)ᵀ</c>, <c>[num_embeddings, dim]</c>).
    /// </summary>
    private void Merge(string module, LoraPair pair, float[] weight, int rows, int columns, bool transposed)
    {
        var aInfo = _file.Tensors[pair.A!];
        var bInfo = _file.Tensors[pair.B!];
        int rank = aInfo.Shape[0], inputs = aInfo.Shape[1], outputs = bInfo.Shape[0];
        var (expectRows, expectColumns) = transposed ? (inputs, outputs) : (outputs, inputs);
        if (rows != expectRows || columns != expectColumns)
        {
            throw new ModelFormatException(_file.Path, pair.A,
                $"LoRA factors of '{module}' make a [{expectRows}, {expectColumns}] update, but the base weight is [{rows}, {columns}].");
        }

        var a = new float[aInfo.ElementCount];
        var b = new float[bInfo.ElementCount];
        _file.ReadFloat32(pair.A!, a);
        _file.ReadFloat32(pair.B!, b);
        _used.Add(pair.A!);
        _used.Add(pair.B!);
        var scale = (float)Config.Scale(rank);

        // Row i of the update is Σ_k coefficient(i, k) · factor row k, with factor rows of length `columns`:
        // untransposed, coefficient = B[i, k] and the factor is A; transposed, coefficient = A[k, i] and the factor is Bᵀ.
        var factor = transposed ? Transpose(b, outputs, rank) : a;
        Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var row = weight.AsSpan(i * columns, columns);
            var delta = new float[columns];
            for (var k = 0; k < rank; k++)
            {
                var coefficient = transposed ? a[(k * inputs) + i] : b[(i * rank) + k];
                TensorPrimitives.MultiplyAdd(factor.AsSpan(k * columns, columns), coefficient, delta, delta);
            }

            TensorPrimitives.MultiplyAdd(delta, scale, row, row);
        });
    }

    private static float[] Transpose(float[] m, int rows, int columns)
    {
        var t = new float[m.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                t[(c * rows) + r] = m[(r * columns) + c];
            }
        }

        return t;
    }

    private sealed record LoraPair(bool Embedding)
    {
        public string? A { get; init; }

        public string? B { get; init; }
    }
}
