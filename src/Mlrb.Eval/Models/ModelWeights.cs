using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>The weights of a decoder model on its backend, in the slots <see cref="DecoderModel"/>'s forward pass reads.</summary>
internal sealed class ModelWeights
{
    public required EmbeddingTable TokenEmbedding { get; init; }

    /// <summary>Learned position table (GPT-2, OPT); null with rotary positions.</summary>
    public EmbeddingTable? PositionEmbedding { get; init; }

    /// <summary>OPT's <c>project_in</c> (embedding width → hidden).</summary>
    public LinearWeights? ProjectIn { get; init; }

    /// <summary>OPT's <c>project_out</c> (hidden → embedding width), before the head.</summary>
    public LinearWeights? ProjectOut { get; init; }

    public required LayerWeights[] Layers { get; init; }

    public NormWeights? FinalNorm { get; init; }

    /// <summary>The LM head (with its bias for Phi).</summary>
    public required LinearWeights Head { get; init; }

    /// <summary>Bytes resident for the weights.</summary>
    public long Bytes
        => Head.Bytes + TokenEmbedding.Bytes + (PositionEmbedding?.Bytes ?? 0) + (ProjectIn?.Bytes ?? 0) + (ProjectOut?.Bytes ?? 0)
            + Layers.Sum(l => l.Qkv.Bytes + l.Output.Bytes + l.Up.Bytes + l.Down.Bytes);
}

/// <summary>One block's weights. Which norms are present follows <see cref="ModelConfig.Layout"/>.</summary>
internal sealed class LayerWeights
{
    /// <summary>The norm before attention (after it, for <see cref="BlockLayout.PostNorm"/>).</summary>
    public NormWeights? AttentionNorm { get; init; }

    /// <summary>Query, key and value projections fused: <c>[hidden] → [qDim + 2·kvDim]</c>.</summary>
    public required LinearWeights Qkv { get; init; }

    public required LinearWeights Output { get; init; }

    /// <summary>Gemma-2's <c>post_attention_layernorm</c> on the attention output.</summary>
    public NormWeights? AttentionOutputNorm { get; init; }

    /// <summary>The norm before the feed-forward block (after it, for <see cref="BlockLayout.PostNorm"/>; unused for a shared norm).</summary>
    public NormWeights? FeedForwardNorm { get; init; }

    /// <summary>Up projection, or gate and up fused (<c>[gate | up]</c>) for a gated activation.</summary>
    public required LinearWeights Up { get; init; }

    public required LinearWeights Down { get; init; }

    /// <summary>Gemma-2's <c>post_feedforward_layernorm</c>.</summary>
    public NormWeights? FeedForwardOutputNorm { get; init; }
}

/// <summary>A norm's weight and optional bias on the backend (null weight: elementwise affine off).</summary>
/// <param name="Weight">Scale.</param>
/// <param name="Bias">Shift.</param>
internal sealed record NormWeights(DeviceBuffer? Weight, DeviceBuffer? Bias);
