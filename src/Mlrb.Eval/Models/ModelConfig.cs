namespace Mlrb.Eval.Models;

/// <summary>The hyperparameters of a causal language model, read from a Hugging Face <c>config.json</c>.</summary>
internal sealed record ModelConfig
{
    public required string ModelType { get; init; }

    public required int VocabularySize { get; init; }

    public required int HiddenSize { get; init; }

    public required int LayerCount { get; init; }

    public required int HeadCount { get; init; }

    public required int KeyValueHeadCount { get; init; }

    public required int HeadDimension { get; init; }

    public required int IntermediateSize { get; init; }

    /// <summary>Maximum sequence length as lm-evaluation-harness resolves it.</summary>
    public required int MaxLength { get; init; }

    /// <summary>Number of learned/rotary positions the model supports.</summary>
    public required int PositionCount { get; init; }

    public required float NormEpsilon { get; init; }

    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Linear RoPE scaling factor (positions are divided by it); 1 for none.</summary>
    public double RopeScalingFactor { get; init; } = 1.0;

    public bool TieWordEmbeddings { get; init; }

    public int? BosTokenId { get; init; }

    public int? EosTokenId { get; init; }

    /// <summary>The activation function name (<c>gelu_new</c>, <c>silu</c>, ...).</summary>
    public string Activation { get; init; } = "gelu_new";
}
