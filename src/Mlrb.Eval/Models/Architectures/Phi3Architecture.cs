using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>
/// Phi-3: Llama-shaped with fused <c>qkv_proj</c> (<c>[q; k; v]</c>) and <c>gate_up_proj</c> (<c>[gate; up]</c>), RoPE with the
/// <c>longrope</c>/<c>su</c> scaling of the long-context models, partial rotary and the sliding window when the config sets them.
/// </summary>
internal sealed class Phi3Architecture : IArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = ["phi3"];

    public ModelConfig ReadConfig(string modelType, ConfigFields f)
    {
        var hidden = f.RequiredInt("hidden_size");
        var heads = f.RequiredInt("num_attention_heads");
        var kvHeads = LlamaArchitecture.KeyValueHeads(f, heads);
        var headDim = f.Int("head_dim") ?? (hidden % heads == 0 ? hidden / heads : throw f.Error("hidden_size", $"{hidden} is not divisible by num_attention_heads ({heads})."));
        var layers = f.RequiredInt("num_hidden_layers");
        var positions = f.Int("max_position_embeddings") ?? 4096;
        var (window, sliding) = CommonFields.SlidingWindow(f, layers);
        return new ModelConfig
        {
            ModelType = modelType,
            VocabularySize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = layers,
            HeadCount = heads,
            KeyValueHeadCount = kvHeads,
            HeadDimension = headDim,
            IntermediateSize = f.RequiredInt("intermediate_size"),
            PositionCount = positions,
            MaxLength = CommonFields.HarnessMaxLength(f) ?? positions,
            NormEpsilon = (float)(f.Double("rms_norm_eps") ?? 1e-5),
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? false,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenId = f.Int("eos_token_id"),
            Norm = NormKind.RmsNorm,
            Activation = new Activation(CommonFields.ActivationFor(f, "hidden_act", f.String("hidden_act") ?? "silu"), Gated: true),
            Rope = CommonFields.Rope(f, LlamaArchitecture.RotaryDimensions(f, headDim), positions),
            SlidingWindow = window,
            SlidingLayers = sliding,
        };
    }

    public ModelWeights Bind(ModelConfig c, WeightBinder b)
    {
        var d = c.HiddenSize;
        var qkvWidth = (c.HeadCount + (2 * c.KeyValueHeadCount)) * c.HeadDimension;
        var layers = new LayerWeights[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"model.layers.{l}.";
            layers[l] = new LayerWeights
            {
                AttentionNorm = b.Norm(h + "input_layernorm.", d),
                Qkv = LlamaArchitecture.Projection(b, h + "self_attn.qkv_proj", qkvWidth, d),
                Output = LlamaArchitecture.Projection(b, h + "self_attn.o_proj", d, c.HeadCount * c.HeadDimension),
                FeedForwardNorm = b.Norm(h + "post_attention_layernorm.", d),
                Up = LlamaArchitecture.Projection(b, h + "mlp.gate_up_proj", 2 * c.IntermediateSize, d),
                Down = LlamaArchitecture.Projection(b, h + "mlp.down_proj", d, c.IntermediateSize),
            };
        }

        var (embedding, head) = LlamaArchitecture.EmbeddingAndHead(c, b, "model.embed_tokens.weight");
        return new ModelWeights { TokenEmbedding = embedding, Layers = layers, FinalNorm = b.Norm("model.norm.", d), Head = head };
    }
}
