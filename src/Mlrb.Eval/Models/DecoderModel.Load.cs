using Mlrb.Eval.Inference;
using Mlrb.Eval.Models.Architectures;

namespace Mlrb.Eval.Models;

/// <summary>Building a <see cref="DecoderModel"/> from a Hugging Face folder.</summary>
internal sealed partial class DecoderModel
{
    /// <summary>
    /// Loads <c>config.json</c> and the safetensors weights of a model folder onto <paramref name="backend"/>, tensor by tensor; weights
    /// keep their checkpoint dtype (fp32, fp16 or bf16).
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="backend">Where the weights live and the forward pass runs.</param>
    /// <param name="adapter">Replaces tensors while loading (a merged LoRA adapter), or null.</param>
    /// <returns>The model.</returns>
    public static DecoderModel Load(string directory, IComputeBackend backend, IWeightAdapter? adapter = null)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ModelFormatException(directory, null, "model folder not found.");
        }

        var config = ModelConfigReader.Read(Path.Combine(directory, "config.json"), out var architecture);
        if (backend.Precision == ComputePrecision.BFloat16 && config.EmbeddingScale is { } scale)
        {
            // Gemma's normalizer is a tensor in the model's dtype: bf16 when the model runs in bf16.
            config = config with { EmbeddingScale = BitConverter.UInt32BitsToSingle((uint)ElementConversion.ToBFloat16(scale) << 16) };
        }

        using var store = WeightStore.Open(directory);
        var weights = architecture.Bind(config, new WeightBinder(store, backend, adapter));
        adapter?.EnsureApplied();
        return new DecoderModel(config, weights, backend);
    }

    /// <summary>Loads a model folder with a PEFT LoRA adapter folder merged in (none when <paramref name="adapterDirectory"/> is null).</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="backend">Where the weights live and the forward pass runs.</param>
    /// <param name="adapterDirectory">The adapter folder, or null.</param>
    /// <returns>The model.</returns>
    public static DecoderModel Load(string directory, IComputeBackend backend, string? adapterDirectory)
    {
        if (adapterDirectory is null)
        {
            return Load(directory, backend);
        }

        using var adapter = Adapters.LoraAdapter.Open(adapterDirectory);
        return Load(directory, backend, adapter);
    }

    /// <summary>Loads a folder on a new CPU backend (tests, tools).</summary>
    public static DecoderModel Load(string directory) => Load(directory, new Inference.Cpu.CpuBackend());
}
