using System.Text.Json;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>
/// Llama, Mistral and Qwen2: RMSNorm, gated MLP, RoPE in the rotate-half layout, grouped-query attention, optional q/k/v/o and MLP
/// biases (present in the checkpoint), Mistral's sliding window on every layer and Qwen2's when <c>use_sliding_window</c>.
/// </summary>
internal sealed class LlamaArchitecture : IArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = ["llama", "mistral", "qwen2"];

    public ModelConfig ReadConfig(string modelType, ConfigFields f)
    {
        var hidden = f.RequiredInt("hidden_size");
        var heads = f.RequiredInt("num_attention_heads");
        var kvHeads = KeyValueHeads(f, heads);
        var headDim = f.Int("head_dim") ?? (hidden % heads == 0 ? hidden / heads : throw f.Error("hidden_size", $"{hidden} is not divisible by num_attention_heads ({heads})."));
        var activation = CommonFields.ActivationFor(f, "hidden_act", f.String("hidden_act") ?? "silu");
        var layers = f.RequiredInt("num_hidden_layers");
        var positions = f.Int("max_position_embeddings") ?? 2048;
        int? window = null;
        IReadOnlyList<bool>? sliding = null;
        if (modelType == "mistral")
        {
            (window, sliding) = CommonFields.SlidingWindow(f, layers);
        }
        else if (modelType == "qwen2" && f.Bool("use_sliding_window") == true)
        {
            var fromLayer = f.Int("max_window_layers") ?? 28;
            (window, sliding) = CommonFields.SlidingWindow(f, layers, l => l >= fromLayer);
        }

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
            NormEpsilon = (float)(f.Double("rms_norm_eps") ?? 1e-6),
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? false,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenId = f.Int("eos_token_id"),
            Norm = NormKind.RmsNorm,
            Activation = new Activation(activation, Gated: true),
            Rope = CommonFields.Rope(f, RotaryDimensions(f, headDim), positions),
            SlidingWindow = window,
            SlidingLayers = sliding,
        };
    }

    public ModelWeights Bind(ModelConfig c, WeightBinder b)
    {
        var layers = new LayerWeights[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"model.layers.{l}.";
            layers[l] = new LayerWeights
            {
                AttentionNorm = b.Norm(h + "input_layernorm.", c.HiddenSize),
                Qkv = SeparateQkv(c, b, h + "self_attn."),
                Output = Projection(b, h + "self_attn.o_proj", c.HiddenSize, c.HeadCount * c.HeadDimension),
                FeedForwardNorm = b.Norm(h + "post_attention_layernorm.", c.HiddenSize),
                Up = GateUp(c, b, h + "mlp."),
                Down = Projection(b, h + "mlp.down_proj", c.HiddenSize, c.IntermediateSize),
            };
        }

        var (embedding, head) = EmbeddingAndHead(c, b, "model.embed_tokens.weight");
        return new ModelWeights { TokenEmbedding = embedding, Layers = layers, FinalNorm = b.Norm("model.norm.", c.HiddenSize), Head = head };
    }

    /// <summary><c>num_key_value_heads</c> (default: the head count), checked to divide the heads.</summary>
    internal static int KeyValueHeads(ConfigFields f, int heads)
    {
        var kvHeads = f.Int("num_key_value_heads") ?? heads;
        return kvHeads > 0 && heads % kvHeads == 0 ? kvHeads : throw f.Error("num_key_value_heads", $"{kvHeads} does not divide num_attention_heads ({heads}).");
    }

    /// <summary><c>int(head_dim · partial_rotary_factor)</c>.</summary>
    internal static int RotaryDimensions(ConfigFields f, int headDim) => (int)(headDim * (f.Double("partial_rotary_factor") ?? 1.0));

    /// <summary>q_proj, k_proj and v_proj fused, with their biases when the checkpoint has them.</summary>
    internal static LinearWeights SeparateQkv(ModelConfig c, WeightBinder b, string prefix)
    {
        var qDim = c.HeadCount * c.HeadDimension;
        var kvDim = c.KeyValueHeadCount * c.HeadDimension;
        return b.Linear(
            c.HiddenSize,
            LinearBlock.Whole(prefix + "q_proj.weight", qDim, BiasIfPresent(b, prefix + "q_proj.bias")),
            LinearBlock.Whole(prefix + "k_proj.weight", kvDim, BiasIfPresent(b, prefix + "k_proj.bias")),
            LinearBlock.Whole(prefix + "v_proj.weight", kvDim, BiasIfPresent(b, prefix + "v_proj.bias")));
    }

    /// <summary>gate_proj and up_proj fused (<c>[gate | up]</c>).</summary>
    internal static LinearWeights GateUp(ModelConfig c, WeightBinder b, string prefix)
        => b.Linear(
            c.HiddenSize,
            LinearBlock.Whole(prefix + "gate_proj.weight", c.IntermediateSize, BiasIfPresent(b, prefix + "gate_proj.bias")),
            LinearBlock.Whole(prefix + "up_proj.weight", c.IntermediateSize, BiasIfPresent(b, prefix + "up_proj.bias")));

    /// <summary>A <c>[outputs, inputs]</c> projection with its bias when present.</summary>
    internal static LinearWeights Projection(WeightBinder b, string module, int outputs, int inputs)
        => b.Linear(inputs, LinearBlock.Whole(module + ".weight", outputs, BiasIfPresent(b, module + ".bias")));

    /// <summary>The token embedding and the LM head: tied (the head's rows serve as the embedding) or separate.</summary>
    internal static (EmbeddingTable Embedding, LinearWeights Head) EmbeddingAndHead(ModelConfig c, WeightBinder b, string embeddingName, string headName = "lm_head.weight")
    {
        var width = c.TokenEmbeddingWidth;
        if (c.TieWordEmbeddings || !b.Has(headName))
        {
            if (!c.TieWordEmbeddings)
            {
                throw new ModelFormatException(b.Store.Directory, headName, "required tensor is missing (config.json says tie_word_embeddings is false).");
            }

            var tied = b.Linear(width, LinearBlock.Whole(embeddingName, c.VocabularySize));
            return (b.Backend.EmbeddingOf(tied), tied);
        }

        var head = b.Linear(width, LinearBlock.Whole(headName, c.VocabularySize, BiasIfPresent(b, headName.Replace(".weight", ".bias", StringComparison.Ordinal))));
        return (b.Embedding(embeddingName, c.VocabularySize, width), head);
    }

    internal static string? BiasIfPresent(WeightBinder b, string name) => b.Has(name) ? name : null;

    /// <summary>Refuses a boolean option unless it has the supported value.</summary>
    internal static void RequireBool(ConfigFields f, string name, bool supported, string why)
        => f.Refuse(name, v => v.ValueKind == (supported ? JsonValueKind.True : JsonValueKind.False), why);
}
