namespace Mlrb.Eval.Models.Architectures;

/// <summary>The model families the engine runs, by <c>model_type</c>.</summary>
internal static class ArchitectureRegistry
{
    private static readonly IArchitecture[] All =
    [
        new Gpt2Architecture(),
        new LlamaArchitecture(),
        new GemmaArchitecture(),
        new PhiArchitecture(),
        new Phi3Architecture(),
        new GptNeoXArchitecture(),
        new OptArchitecture(),
    ];

    /// <summary>Encoder-decoder <c>model_type</c>s: scored by their own model (<see cref="T5.T5Model"/>) with the harness's seq2seq rule.</summary>
    public static IReadOnlyList<string> EncoderDecoderModelTypes { get; } = [T5.T5Config.ModelType];

    /// <summary>Every supported <c>model_type</c> (decoder-only, then encoder-decoder).</summary>
    public static IReadOnlyList<string> ModelTypes { get; } = All.SelectMany(a => a.ModelTypes).Concat(EncoderDecoderModelTypes).ToList();

    /// <summary>The family of <paramref name="modelType"/>, or null.</summary>
    public static IArchitecture? Find(string modelType) => All.FirstOrDefault(a => a.ModelTypes.Contains(modelType, StringComparer.Ordinal));
}
