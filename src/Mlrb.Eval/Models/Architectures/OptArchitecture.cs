using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>
/// OPT: learned positions offset by 2, LayerNorm before (<c>do_layer_norm_before</c>) or after each sub-block, ReLU, optional
/// <c>word_embed_proj_dim</c> projections around the decoder (opt-350m), tied head; names with <c>model.decoder.</c> or <c>decoder.</c>.
/// </summary>
internal sealed class OptArchitecture : IArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = ["opt"];

    public ModelConfig ReadConfig(string modelType, ConfigFields f)
    {
        var hidden = f.RequiredInt("hidden_size");
        var heads = f.RequiredInt("num_attention_heads");
        if (hidden % heads != 0)
        {
            throw f.Error("hidden_size", $"{hidden} is not divisible by num_attention_heads ({heads}).");
        }

        var positions = f.Int("max_position_embeddings") ?? 2048;
        var before = f.Bool("do_layer_norm_before") ?? true;
        var projection = f.Int("word_embed_proj_dim") ?? hidden;
        return new ModelConfig
        {
            ModelType = modelType,
            VocabularySize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = f.RequiredInt("num_hidden_layers"),
            HeadCount = heads,
            KeyValueHeadCount = heads,
            HeadDimension = hidden / heads,
            IntermediateSize = f.RequiredInt("ffn_dim"),
            PositionCount = positions,
            MaxLength = CommonFields.HarnessMaxLength(f) ?? positions,
            NormEpsilon = 1e-5f,
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? true,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenId = f.Int("eos_token_id"),
            Norm = NormKind.LayerNorm,
            Layout = before ? BlockLayout.PreNorm : BlockLayout.PostNorm,
            Activation = new Activation(CommonFields.ActivationFor(f, "activation_function", f.String("activation_function") ?? "relu"), Gated: false),
            LearnedPositionOffset = 2,
            EmbeddingDimension = projection == hidden ? null : projection,
            FinalNorm = before && !(f.Bool("_remove_final_layer_norm") ?? false),
            NormAffine = f.Bool("layer_norm_elementwise_affine") ?? true,
        };
    }

    public ModelWeights Bind(ModelConfig c, WeightBinder b)
    {
        var p = b.Has("model.decoder.embed_tokens.weight") ? "model.decoder." : "decoder.";
        var d = c.HiddenSize;
        var affine = c.NormAffine;
        var layers = new LayerWeights[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"{p}layers.{l}.";
            layers[l] = new LayerWeights
            {
                AttentionNorm = Norm(b, h + "self_attn_layer_norm.", d, affine),
                Qkv = LlamaArchitecture.SeparateQkv(c, b, h + "self_attn."),
                Output = LlamaArchitecture.Projection(b, h + "self_attn.out_proj", d, d),
                FeedForwardNorm = Norm(b, h + "final_layer_norm.", d, affine),
                Up = LlamaArchitecture.Projection(b, h + "fc1", c.IntermediateSize, d),
                Down = LlamaArchitecture.Projection(b, h + "fc2", d, c.IntermediateSize),
            };
        }

        var (embedding, head) = LlamaArchitecture.EmbeddingAndHead(c, b, p + "embed_tokens.weight");
        var projected = c.EmbeddingDimension is { } e;
        return new ModelWeights
        {
            TokenEmbedding = embedding,
            PositionEmbedding = b.Embedding(p + "embed_positions.weight", c.PositionCount + 2, d),
            ProjectIn = projected ? b.Linear(c.TokenEmbeddingWidth, LinearBlock.Whole(p + "project_in.weight", d)) : null,
            ProjectOut = projected ? b.Linear(d, LinearBlock.Whole(p + "project_out.weight", c.TokenEmbeddingWidth)) : null,
            Layers = layers,
            FinalNorm = c.FinalNorm ? Norm(b, p + "final_layer_norm.", d, affine) : null,
            Head = head,
        };
    }

    /// <summary>A LayerNorm, or one without weight and bias when <c>layer_norm_elementwise_affine</c> is false.</summary>
    private static NormWeights Norm(WeightBinder b, string prefix, int width, bool affine)
        => affine ? b.Norm(prefix, width, bias: true) : new NormWeights(null, null);
}
