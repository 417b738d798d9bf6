using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>
/// A decoder-only transformer as the engine runs it, read from a Hugging Face <c>config.json</c>: the sizes, and the description of
/// which operations a block is made of and in which order (<see cref="Layout"/>, norms, activation, positions, attention options).
/// </summary>
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

    /// <summary>Number of positions the model supports (learned table rows, or the rotary range).</summary>
    public required int PositionCount { get; init; }

    public required float NormEpsilon { get; init; }

    public bool TieWordEmbeddings { get; init; }

    public int? BosTokenId { get; init; }

    public int? EosTokenId { get; init; }

    /// <summary>LayerNorm or RMSNorm (Gemma's <c>1 + weight</c> is folded into the weights at load).</summary>
    public NormKind Norm { get; init; } = NormKind.RmsNorm;

    /// <summary>How a block's attention, feed-forward, norms and residuals are wired.</summary>
    public BlockLayout Layout { get; init; } = BlockLayout.PreNorm;

    /// <summary>Norms on the attention and feed-forward outputs before the residual adds (Gemma-2).</summary>
    public bool OutputNorms { get; init; }

    /// <summary>The feed-forward activation.</summary>
    public Activation Activation { get; init; } = new(ActivationFunction.Silu, Gated: true);

    /// <summary>Rotary settings; null for models with learned positions.</summary>
    public RopeConfig? Rope { get; init; }

    /// <summary>Rows of the learned position table are <c>position + offset</c> (OPT: 2); null without a learned table.</summary>
    public int? LearnedPositionOffset { get; init; }

    /// <summary>Multiplies q·k; null for <c>headDim^-0.5</c>.</summary>
    public float? AttentionScale { get; init; }

    /// <summary>GPT-2's <c>scale_attn_by_inverse_layer_idx</c>: scores are further divided by <c>layer + 1</c>.</summary>
    public bool ScaleAttentionByInverseLayer { get; init; }

    /// <summary>Gemma-2 attention-logit soft-capping.</summary>
    public float? AttentionSoftCap { get; init; }

    /// <summary>Gemma-2 final-logit soft-capping.</summary>
    public float? FinalLogitSoftCap { get; init; }

    /// <summary>Sliding-window size, when any layer uses one.</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>Per layer, whether it uses <see cref="SlidingWindow"/>; null means every layer does.</summary>
    public IReadOnlyList<bool>? SlidingLayers { get; init; }

    /// <summary>Multiplies the token embeddings (Gemma: <c>sqrt(hidden_size)</c>).</summary>
    public float? EmbeddingScale { get; init; }

    /// <summary>Width of the token embeddings when it differs from the hidden size (OPT's <c>word_embed_proj_dim</c>).</summary>
    public int? EmbeddingDimension { get; init; }

    /// <summary>Whether norms have a weight and bias (OPT's <c>layer_norm_elementwise_affine</c>).</summary>
    public bool NormAffine { get; init; } = true;

    /// <summary>Whether a final norm precedes the LM head.</summary>
    public bool FinalNorm { get; init; } = true;

    /// <summary>Token embedding width (<see cref="EmbeddingDimension"/> or the hidden size).</summary>
    public int TokenEmbeddingWidth => EmbeddingDimension ?? HiddenSize;

    /// <summary>The attention options of <paramref name="layer"/>.</summary>
    public AttentionOptions AttentionFor(int layer)
    {
        var scale = AttentionScale ?? (1f / MathF.Sqrt(HeadDimension));
        if (ScaleAttentionByInverseLayer)
        {
            scale /= layer + 1;
        }

        var sliding = SlidingWindow is { } w && (SlidingLayers is null || SlidingLayers[layer]) ? w : (int?)null;
        return new AttentionOptions(scale, AttentionSoftCap, sliding);
    }
}
