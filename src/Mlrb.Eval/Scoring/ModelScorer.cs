using Mlrb.Eval.Inference.Ilgpu;
using Mlrb.Eval.Models;
using Mlrb.Eval.Telemetry;

namespace Mlrb.Eval.Scoring;

/// <summary>Creates log-likelihood scorers for Hugging Face model folders (GPT-2, Llama, Mistral, Qwen2, Phi, Phi-3, GPT-NeoX, OPT, Gemma, Gemma-2; T5/FLAN-T5 with the harness's seq2seq rule) on the CPU engine or an ILGPU accelerator (<see cref="ModelScorerOptions.Device"/>).</summary>
public static class ModelScorer
{
    /// <summary>
    /// Loads <c>config.json</c> and the safetensors weights of <paramref name="modelDirectory"/> (weights stay in their fp32/fp16/bf16 dtype).
    /// The tokenizer is loaded on the first text request, so a folder without one can still score token-id requests.
    /// </summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>A scorer; it runs one scoring call at a time.</returns>
    /// <exception cref="ModelFormatException">The folder, its config or its weights (or the adapter's) are missing, malformed or unsupported.</exception>
    public static ILogLikelihoodScorer Load(string modelDirectory, ModelScorerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        options ??= new ModelScorerOptions();
        using var activity = EvalTelemetry.Start("load");
        activity?.SetTag("mlrb.eval.model", modelDirectory);
        activity?.SetTag("mlrb.eval.adapter", options.Adapter);
        if (Models.T5.T5Config.IsT5(modelDirectory))
        {
            // Encoder-decoder: scored with the harness's seq2seq rule.
            var t5 = LoadT5(modelDirectory, Backend(options), options.Adapter);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return new Seq2SeqScorer(t5, modelDirectory, options);
        }

        var model = DecoderModel.Load(modelDirectory, Backend(options), options.Adapter);
        options = options with { MaxBatchTokens = ComputeBackends.FitBatchTokens(model, options.MaxBatchTokens, options.DeviceMemoryFraction) };

        // Loading leaves small transient buffers (norm vectors, biases, adapter merges); give that memory back before scoring.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return new LogLikelihoodScorer(model, modelDirectory, options);
    }

    private static Inference.IComputeBackend Backend(ModelScorerOptions options)
        => ComputeBackends.Create(options.Device, options.Threads, options.DType == ComputeDType.Bf16 ? Inference.ComputePrecision.BFloat16 : Inference.ComputePrecision.Float32);

    private static Models.T5.T5Model LoadT5(string directory, Inference.IComputeBackend backend, string? adapterDirectory)
    {
        if (adapterDirectory is null)
        {
            return Models.T5.T5Model.Load(directory, backend);
        }

        using var adapter = Models.Adapters.LoraAdapter.Open(adapterDirectory);
        return Models.T5.T5Model.Load(directory, backend, adapter);
    }
}
