using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>
/// Gemma and Gemma-2: RMSNorm scaled by <c>1 + weight</c>, embeddings multiplied by <c>sqrt(hidden_size)</c>, GeGLU with the tanh GELU,
/// <c>head_dim</c> independent of the width, tied head. Gemma-2 adds attention and final-logit soft-capping, sliding-window attention on
/// alternate layers (or as <c>layer_types</c> says), norms on the attention and feed-forward outputs, and <c>query_pre_attn_scalar</c>.
/// </summary>
internal sealed class GemmaArchitecture : IArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = ["gemma", "gemma2"];

    public ModelConfig ReadConfig(string modelType, ConfigFields f)
    {
        var hidden = f.RequiredInt("hidden_size");
        var heads = f.RequiredInt("num_attention_heads");
        var kvHeads = LlamaArchitecture.KeyValueHeads(f, heads);
        var headDim = f.Int("head_dim") ?? 256;
        var layers = f.RequiredInt("num_hidden_layers");
        var positions = f.Int("max_position_embeddings") ?? 8192;

        // transformers runs `hidden_activation` (default gelu_pytorch_tanh); `hidden_act` is the legacy field it no longer reads.
        var activation = CommonFields.ActivationFor(f, "hidden_activation", f.String("hidden_activation") ?? "gelu_pytorch_tanh");
        var gemma2 = modelType == "gemma2";
        var config = new ModelConfig
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
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? true,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenId = f.Int("eos_token_id"),
            Norm = NormKind.RmsNorm,
            Activation = new Activation(activation, Gated: true),
            Rope = CommonFields.Rope(f, headDim, positions),

            // torch.tensor(hidden_size ** 0.5, dtype=hidden_states.dtype): fp32 here (bf16-rounded on the bf16 compute path, see Load).
            EmbeddingScale = (float)Math.Sqrt(hidden),
        };
        if (!gemma2)
        {
            return config;
        }

        // Gemma2Config defaults apply to fields the file leaves out; an explicit null switches the feature off.
        var (window, sliding) = CommonFields.SlidingWindow(f, layers, l => l % 2 == 0, defaultWindow: 4096);
        float? Cap(string name, double fallback) => f.Root.TryGetProperty(name, out _) ? (float?)f.Double(name) : (float)fallback;
        return config with
        {
            OutputNorms = true,
            AttentionScale = (float)Math.Pow(f.Double("query_pre_attn_scalar") ?? 224, -0.5),
            AttentionSoftCap = Cap("attn_logit_softcapping", 50.0),
            FinalLogitSoftCap = Cap("final_logit_softcapping", 30.0),
            SlidingWindow = window,
            SlidingLayers = sliding,
        };
    }

    public ModelWeights Bind(ModelConfig c, WeightBinder b)
    {
        var d = c.HiddenSize;
        var gemma2 = c.ModelType == "gemma2";
        var layers = new LayerWeights[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"model.layers.{l}.";
            layers[l] = new LayerWeights
            {
                AttentionNorm = b.Norm(h + "input_layernorm.", d, addOne: true),
                Qkv = LlamaArchitecture.SeparateQkv(c, b, h + "self_attn."),
                Output = LlamaArchitecture.Projection(b, h + "self_attn.o_proj", d, c.HeadCount * c.HeadDimension),
                AttentionOutputNorm = gemma2 ? b.Norm(h + "post_attention_layernorm.", d, addOne: true) : null,
                FeedForwardNorm = b.Norm(h + (gemma2 ? "pre_feedforward_layernorm." : "post_attention_layernorm."), d, addOne: true),
                Up = LlamaArchitecture.GateUp(c, b, h + "mlp."),
                Down = LlamaArchitecture.Projection(b, h + "mlp.down_proj", d, c.IntermediateSize),
                FeedForwardOutputNorm = gemma2 ? b.Norm(h + "post_feedforward_layernorm.", d, addOne: true) : null,
            };
        }

        var (embedding, head) = LlamaArchitecture.EmbeddingAndHead(c, b, "model.embed_tokens.weight");
        return new ModelWeights { TokenEmbedding = embedding, Layers = layers, FinalNorm = b.Norm("model.norm.", d, addOne: true), Head = head };
    }
}
