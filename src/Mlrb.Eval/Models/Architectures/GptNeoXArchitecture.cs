using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>
/// GPT-NeoX (Pythia): LayerNorm, partial rotary (<c>rotary_pct</c>), parallel or sequential residual (<c>use_parallel_residual</c>),
/// a fused <c>query_key_value</c> interleaved per head (<c>[h0: q k v, h1: q k v, ...]</c>), untied <c>embed_out</c>.
/// </summary>
internal sealed class GptNeoXArchitecture : IArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = ["gpt_neox"];

    public ModelConfig ReadConfig(string modelType, ConfigFields f)
    {
        var hidden = f.RequiredInt("hidden_size");
        var heads = f.RequiredInt("num_attention_heads");
        if (hidden % heads != 0)
        {
            throw f.Error("hidden_size", $"{hidden} is not divisible by num_attention_heads ({heads}).");
        }

        var headDim = hidden / heads;
        var positions = f.Int("max_position_embeddings") ?? 2048;
        var pct = f.Double("partial_rotary_factor") ?? f.Double("rotary_pct") ?? 0.25;
        var thetaField = f.Has("rotary_emb_base") ? "rotary_emb_base" : "rope_theta";
        return new ModelConfig
        {
            ModelType = modelType,
            VocabularySize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = f.RequiredInt("num_hidden_layers"),
            HeadCount = heads,
            KeyValueHeadCount = heads,
            HeadDimension = headDim,
            IntermediateSize = f.RequiredInt("intermediate_size"),
            PositionCount = positions,
            MaxLength = CommonFields.HarnessMaxLength(f) ?? positions,
            NormEpsilon = (float)(f.Double("layer_norm_eps") ?? 1e-5),
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? false,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenId = f.Int("eos_token_id"),
            Norm = NormKind.LayerNorm,
            Layout = f.Bool("use_parallel_residual") ?? true ? BlockLayout.Parallel : BlockLayout.PreNorm,
            Activation = new Activation(CommonFields.ActivationFor(f, "hidden_act", f.String("hidden_act") ?? "gelu"), Gated: false),
            Rope = CommonFields.Rope(f, (int)(headDim * pct), positions, thetaField),
        };
    }

    public ModelWeights Bind(ModelConfig c, WeightBinder b)
    {
        var d = c.HiddenSize;
        var hd = c.HeadDimension;
        var layers = new LayerWeights[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"gpt_neox.layers.{l}.";
            var qkv = h + "attention.query_key_value.";
            var bias = LlamaArchitecture.BiasIfPresent(b, qkv + "bias");

            // Reorder [h: q k v] per head into [all q | all k | all v].
            var blocks = new LinearBlock[3 * c.HeadCount];
            for (var part = 0; part < 3; part++)
            {
                for (var head = 0; head < c.HeadCount; head++)
                {
                    blocks[(part * c.HeadCount) + head] = new LinearBlock(qkv + "weight", 3 * d, (head * 3 * hd) + (part * hd), hd, bias);
                }
            }

            layers[l] = new LayerWeights
            {
                AttentionNorm = b.Norm(h + "input_layernorm.", d, bias: true),
                Qkv = b.Linear(d, blocks),
                Output = LlamaArchitecture.Projection(b, h + "attention.dense", d, d),
                FeedForwardNorm = b.Norm(h + "post_attention_layernorm.", d, bias: true),
                Up = LlamaArchitecture.Projection(b, h + "mlp.dense_h_to_4h", c.IntermediateSize, d),
                Down = LlamaArchitecture.Projection(b, h + "mlp.dense_4h_to_h", d, c.IntermediateSize),
            };
        }

        var (embedding, head2) = LlamaArchitecture.EmbeddingAndHead(c, b, "gpt_neox.embed_in.weight", "embed_out.weight");
        return new ModelWeights
        {
            TokenEmbedding = embedding,
            Layers = layers,
            FinalNorm = b.Norm("gpt_neox.final_layer_norm.", d, bias: true),
            Head = head2,
        };
    }
}
