using Mlrb.Eval.Models;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Generation;

/// <summary>
/// Creates text generators for Hugging Face model folders on the CPU engine: every architecture the engine loads, decoder-only
/// and encoder-decoder (T5, FLAN-T5).
/// </summary>
public static class TextGenerator
{
    /// <summary>
    /// Loads <c>config.json</c>, the safetensors weights and the tokenizer of <paramref name="modelDirectory"/>, and starts
    /// the decoding loop. Dispose the generator to stop it.
    /// </summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ModelFormatException">The folder, its config or its weights are missing, malformed or unsupported.</exception>
    /// <exception cref="TokenizerLoadException">The folder's tokenizer files are malformed.</exception>
    public static ITextGenerator Load(string modelDirectory, TextGeneratorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        options ??= new TextGeneratorOptions();
        if (Models.T5.T5Config.IsT5(modelDirectory))
        {
            return LoadT5(modelDirectory, options);
        }

        var model = DecoderModel.Load(modelDirectory, Inference.Ilgpu.ComputeBackends.Create(options.Device, options.Threads, Inference.ComputePrecision.Float32), options.Adapter);
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var tokenizer = options.Tokenizer ?? TryLoadTokenizer(modelDirectory);
        var maxLength = options.MaxLength ?? model.Config.MaxLength;
        if (maxLength <= 1 || maxLength > model.Config.PositionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength {maxLength} must be in [2, {model.Config.PositionCount}] for this model.");
        }

        var eos = EndOfSequenceIds.Read(modelDirectory, tokenizer?.EosTokenId);
        var prefix = tokenizer?.BosTokenId ?? tokenizer?.EosTokenId ?? model.Config.BosTokenId ?? model.Config.EosTokenId;
        return new TextGenerationEngine(new DecoderModelRunner(model, maxLength), tokenizer, eos, prefix, options);
    }

    /// <summary>
    /// An encoder-decoder (T5, FLAN-T5): the prompt goes to the encoder, the output is decoded from <c>decoder_start_token_id</c>.
    /// The context is the harness's max_length for the model (config, else the tokenizer's <c>model_max_length</c>, else 2048),
    /// which bounds the prompt and, separately, the decoder's positions.
    /// </summary>
    private static TextGenerationEngine LoadT5(string modelDirectory, TextGeneratorOptions options)
    {
        var backend = new Inference.Cpu.CpuBackend(options.Threads);
        Models.T5.T5Model model;
        if (options.Adapter is null)
        {
            model = Models.T5.T5Model.Load(modelDirectory, backend);
        }
        else
        {
            using var adapter = Models.Adapters.LoraAdapter.Open(options.Adapter);
            model = Models.T5.T5Model.Load(modelDirectory, backend, adapter);
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var tokenizer = options.Tokenizer ?? TryLoadTokenizer(modelDirectory);
        var maxLength = options.MaxLength ?? model.Config.HarnessMaxLength ?? Scoring.Seq2SeqScorer.TokenizerMaxLength(modelDirectory) ?? 2048;
        if (maxLength <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength {maxLength} must be at least 2.");
        }

        var eos = EndOfSequenceIds.Read(modelDirectory, tokenizer?.EosTokenId);
        var prefix = tokenizer?.BosTokenId ?? tokenizer?.EosTokenId ?? model.Config.EosTokenId;
        return new TextGenerationEngine(new T5ModelRunner(model, maxLength), tokenizer, eos, prefix, options);
    }

    private static ITokenizer? TryLoadTokenizer(string modelDirectory)
    {
        string[] files = ["tokenizer.json", "vocab.json", "encoder.json", "tokenizer.model", "spiece.model"];
        return files.Any(f => File.Exists(Path.Combine(modelDirectory, f))) ? TokenizerLoader.Load(modelDirectory) : null;
    }
}
