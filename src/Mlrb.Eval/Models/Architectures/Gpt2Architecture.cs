using System.Text.Json;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>GPT-2: learned positions, LayerNorm, Conv1D (<c>[in, out]</c>) weights, tied head; names with or without <c>transformer.</c>.</summary>
internal sealed class Gpt2Architecture : IArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = ["gpt2"];

    public ModelConfig ReadConfig(string modelType, ConfigFields f)
    {
        var hidden = f.RequiredInt("n_embd");
        var heads = f.RequiredInt("n_head");
        if (hidden % heads != 0)
        {
            throw f.Error("n_embd", $"{hidden} is not divisible by the head count ({heads}).");
        }

        var activation = CommonFields.ActivationFor(f, "activation_function", f.String("activation_function") ?? "gelu_new");
        f.Refuse("add_cross_attention", v => v.ValueKind == JsonValueKind.False, "cross-attention layers belong to an encoder-decoder setup.");
        var positions = f.Int("n_positions") ?? f.Int("n_ctx") ?? 1024;
        return new ModelConfig
        {
            ModelType = modelType,
            VocabularySize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = f.RequiredInt("n_layer"),
            HeadCount = heads,
            KeyValueHeadCount = heads,
            HeadDimension = hidden / heads,
            IntermediateSize = f.Int("n_inner") ?? (4 * hidden),
            PositionCount = positions,
            MaxLength = CommonFields.HarnessMaxLength(f) ?? positions,
            NormEpsilon = (float)(f.Double("layer_norm_epsilon") ?? 1e-5),
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? true,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenId = f.Int("eos_token_id"),
            Norm = NormKind.LayerNorm,
            Layout = BlockLayout.PreNorm,
            Activation = new Activation(activation, Gated: false),
            LearnedPositionOffset = 0,
            AttentionScale = f.Bool("scale_attn_weights") == false ? 1f : null,
            ScaleAttentionByInverseLayer = f.Bool("scale_attn_by_inverse_layer_idx") ?? false,
        };
    }

    public ModelWeights Bind(ModelConfig c, WeightBinder b)
    {
        var p = b.Has("transformer.wte.weight") ? "transformer." : string.Empty;
        int d = c.HiddenSize, v = c.VocabularySize, inner = c.IntermediateSize;
        var tied = c.TieWordEmbeddings || !b.Has("lm_head.weight");
        var head = b.Linear(d, LinearBlock.Whole(tied ? p + "wte.weight" : "lm_head.weight", v));
        var layers = new LayerWeights[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"{p}h.{l}.";
            layers[l] = new LayerWeights
            {
                AttentionNorm = b.Norm(h + "ln_1.", d, bias: true),
                Qkv = b.Linear(d, LinearBlock.WholeInputMajor(h + "attn.c_attn.weight", 3 * d, h + "attn.c_attn.bias")),
                Output = b.Linear(d, LinearBlock.WholeInputMajor(h + "attn.c_proj.weight", d, h + "attn.c_proj.bias")),
                FeedForwardNorm = b.Norm(h + "ln_2.", d, bias: true),
                Up = b.Linear(d, LinearBlock.WholeInputMajor(h + "mlp.c_fc.weight", inner, h + "mlp.c_fc.bias")),
                Down = b.Linear(inner, LinearBlock.WholeInputMajor(h + "mlp.c_proj.weight", d, h + "mlp.c_proj.bias")),
            };
        }

        return new ModelWeights
        {
            TokenEmbedding = tied ? b.Backend.EmbeddingOf(head) : b.Embedding(p + "wte.weight", v, d),
            PositionEmbedding = b.Embedding(p + "wpe.weight", c.PositionCount, d),
            Layers = layers,
            FinalNorm = b.Norm(p + "ln_f.", d, bias: true),
            Head = head,
        };
    }
}
