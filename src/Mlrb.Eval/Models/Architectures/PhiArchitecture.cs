using System.Text.Json;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>
/// Phi-1/1.5/2 (<c>phi</c>, and the <c>phi-msft</c> format of the Dec 2023 Hub checkpoints): one LayerNorm feeding attention and the MLP
/// in parallel, partial rotary (<c>partial_rotary_factor</c> / <c>rotary_dim</c>), <c>gelu_new</c>, biases everywhere, untied head with bias.
/// </summary>
internal sealed class PhiArchitecture : IArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = ["phi", "phi-msft"];

    public ModelConfig ReadConfig(string modelType, ConfigFields f)
    {
        var msft = modelType == "phi-msft";
        var hidden = f.RequiredInt(msft ? "n_embd" : "hidden_size");
        var heads = f.RequiredInt(msft ? "n_head" : "num_attention_heads");
        if (hidden % heads != 0)
        {
            throw f.Error(msft ? "n_embd" : "hidden_size", $"{hidden} is not divisible by the head count ({heads}).");
        }

        var headDim = hidden / heads;
        var kvHeads = msft ? f.Int("n_head_kv") ?? heads : LlamaArchitecture.KeyValueHeads(f, heads);
        if (kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw f.Error("n_head_kv", $"{kvHeads} does not divide n_head ({heads}).");
        }

        var activationField = msft ? "activation_function" : "hidden_act";
        var activation = CommonFields.ActivationFor(f, activationField, f.String(activationField) ?? "gelu_new");
        var positions = (msft ? f.Int("n_positions") : f.Int("max_position_embeddings")) ?? 2048;
        int rotary;
        if (msft)
        {
            rotary = f.Int("rotary_dim") ?? Math.Min(32, headDim);
            f.Refuse("rotary_emb_scale_base", _ => false, "xPos rotary scaling is not implemented.");
        }
        else
        {
            rotary = (int)(headDim * (f.Double("partial_rotary_factor") ?? 0.5));
            f.Refuse("qk_layernorm", v => v.ValueKind == JsonValueKind.False, "per-head query/key LayerNorms are not implemented.");
        }

        return new ModelConfig
        {
            ModelType = modelType,
            VocabularySize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = f.RequiredInt(msft ? "n_layer" : "num_hidden_layers"),
            HeadCount = heads,
            KeyValueHeadCount = kvHeads,
            HeadDimension = headDim,
            IntermediateSize = (msft ? f.Int("n_inner") : f.Int("intermediate_size")) ?? (4 * hidden),
            PositionCount = positions,
            MaxLength = CommonFields.HarnessMaxLength(f) ?? positions,
            NormEpsilon = (float)(f.Double(msft ? "layer_norm_epsilon" : "layer_norm_eps") ?? 1e-5),
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? false,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenId = f.Int("eos_token_id"),
            Norm = NormKind.LayerNorm,
            Layout = BlockLayout.ParallelSharedNorm,
            Activation = new Activation(activation, Gated: false),
            Rope = CommonFields.Rope(f, rotary, positions),
        };
    }

    public ModelWeights Bind(ModelConfig c, WeightBinder b)
    {
        var d = c.HiddenSize;
        var msft = b.Has("transformer.embd.wte.weight");
        var qDim = c.HeadCount * c.HeadDimension;
        var kvDim = c.KeyValueHeadCount * c.HeadDimension;
        var layers = new LayerWeights[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            if (msft)
            {
                // Wqkv is [q; k; v] along the outputs ("... (three h d)").
                var h = $"transformer.h.{l}.";
                var wqkv = h + "mixer.Wqkv.";
                var total = qDim + (2 * kvDim);
                layers[l] = new LayerWeights
                {
                    AttentionNorm = b.Norm(h + "ln.", d, bias: true),
                    Qkv = b.Linear(d, new LinearBlock(wqkv + "weight", total, 0, total, wqkv + "bias")),
                    Output = b.Linear(qDim, LinearBlock.Whole(h + "mixer.out_proj.weight", d, h + "mixer.out_proj.bias")),
                    Up = b.Linear(d, LinearBlock.Whole(h + "mlp.fc1.weight", c.IntermediateSize, h + "mlp.fc1.bias")),
                    Down = b.Linear(c.IntermediateSize, LinearBlock.Whole(h + "mlp.fc2.weight", d, h + "mlp.fc2.bias")),
                };
            }
            else
            {
                var h = $"model.layers.{l}.";
                layers[l] = new LayerWeights
                {
                    AttentionNorm = b.Norm(h + "input_layernorm.", d, bias: true),
                    Qkv = LlamaArchitecture.SeparateQkv(c, b, h + "self_attn."),
                    Output = LlamaArchitecture.Projection(b, h + "self_attn.dense", d, qDim),
                    Up = LlamaArchitecture.Projection(b, h + "mlp.fc1", c.IntermediateSize, d),
                    Down = LlamaArchitecture.Projection(b, h + "mlp.fc2", d, c.IntermediateSize),
                };
            }
        }

        var (embedding, head) = msft
            ? LlamaArchitecture.EmbeddingAndHead(c, b, "transformer.embd.wte.weight", "lm_head.linear.weight")
            : LlamaArchitecture.EmbeddingAndHead(c, b, "model.embed_tokens.weight");
        var finalNorm = b.Norm(msft ? "lm_head.ln." : "model.final_layernorm.", d, bias: true);
        return new ModelWeights { TokenEmbedding = embedding, Layers = layers, FinalNorm = finalNorm, Head = head };
    }
}
