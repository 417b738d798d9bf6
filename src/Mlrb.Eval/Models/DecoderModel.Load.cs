using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>Building a <see cref="DecoderModel"/> from a Hugging Face folder.</summary>
internal sealed partial class DecoderModel
{
    /// <summary>Loads <c>config.json</c> and the safetensors weights (converted to fp32) of a model folder.</summary>
    /// <param name="directory">The model folder.</param>
    /// <returns>The model.</returns>
    public static DecoderModel Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ModelFormatException(directory, null, "model folder not found.");
        }

        var config = ModelConfigReader.Read(Path.Combine(directory, "config.json"));
        using var store = WeightStore.Open(directory);
        return config.ModelType == "gpt2" ? LoadGpt2(config, store) : LoadLlama(config, store);
    }

    private static DecoderModel LoadGpt2(ModelConfig c, WeightStore w)
    {
        var p = w.Contains("transformer.wte.weight") ? "transformer." : string.Empty;
        int d = c.HiddenSize, v = c.VocabularySize, inner = c.IntermediateSize;
        var lmHead = PackedMatrix.FromOutputByInput([w.Read(p + "wte.weight", v, d)], d);
        var wpe = w.Read(p + "wpe.weight", c.PositionCount, d);
        var layers = new DecoderLayer[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"{p}h.{l}.";
            layers[l] = new DecoderLayer
            {
                Norm1Weight = w.Read(h + "ln_1.weight", d),
                Norm1Bias = w.Read(h + "ln_1.bias", d),
                Qkv = PackedMatrix.FromInputByOutput(w.Read(h + "attn.c_attn.weight", d, 3 * d), d, 3 * d, w.Read(h + "attn.c_attn.bias", 3 * d)),
                Output = PackedMatrix.FromInputByOutput(w.Read(h + "attn.c_proj.weight", d, d), d, d, w.Read(h + "attn.c_proj.bias", d)),
                Norm2Weight = w.Read(h + "ln_2.weight", d),
                Norm2Bias = w.Read(h + "ln_2.bias", d),
                Up = PackedMatrix.FromInputByOutput(w.Read(h + "mlp.c_fc.weight", d, inner), d, inner, w.Read(h + "mlp.c_fc.bias", inner)),
                Down = PackedMatrix.FromInputByOutput(w.Read(h + "mlp.c_proj.weight", inner, d), inner, d, w.Read(h + "mlp.c_proj.bias", d)),
            };
        }

        return new DecoderModel(c, layers, lmHead, null, wpe, w.Read(p + "ln_f.weight", d), w.Read(p + "ln_f.bias", d));
    }

    private static DecoderModel LoadLlama(ModelConfig c, WeightStore w)
    {
        int d = c.HiddenSize, v = c.VocabularySize, inter = c.IntermediateSize;
        var qDim = c.HeadCount * c.HeadDimension;
        var kvDim = c.KeyValueHeadCount * c.HeadDimension;
        var layers = new DecoderLayer[c.LayerCount];
        for (var l = 0; l < layers.Length; l++)
        {
            var h = $"model.layers.{l}.";
            var a = h + "self_attn.";
            var mlp = h + "mlp.";
            layers[l] = new DecoderLayer
            {
                Norm1Weight = w.Read(h + "input_layernorm.weight", d),
                Qkv = PackedMatrix.FromOutputByInput(
                    [w.Read(a + "q_proj.weight", qDim, d), w.Read(a + "k_proj.weight", kvDim, d), w.Read(a + "v_proj.weight", kvDim, d)],
                    d,
                    [w.ReadOptional(a + "q_proj.bias", qDim), w.ReadOptional(a + "k_proj.bias", kvDim), w.ReadOptional(a + "v_proj.bias", kvDim)]),
                Output = PackedMatrix.FromOutputByInput([w.Read(a + "o_proj.weight", d, qDim)], qDim, [w.ReadOptional(a + "o_proj.bias", d)]),
                Norm2Weight = w.Read(h + "post_attention_layernorm.weight", d),
                Up = PackedMatrix.FromOutputByInput(
                    [w.Read(mlp + "gate_proj.weight", inter, d), w.Read(mlp + "up_proj.weight", inter, d)],
                    d,
                    [w.ReadOptional(mlp + "gate_proj.bias", inter), w.ReadOptional(mlp + "up_proj.bias", inter)]),
                Down = PackedMatrix.FromOutputByInput([w.Read(mlp + "down_proj.weight", d, inter)], inter, [w.ReadOptional(mlp + "down_proj.bias", d)]),
            };
        }

        var embedding = w.Read("model.embed_tokens.weight", v, d);
        PackedMatrix lmHead;
        float[]? tokenEmbedding;
        if (c.TieWordEmbeddings || !w.Contains("lm_head.weight"))
        {
            if (!c.TieWordEmbeddings)
            {
                throw new ModelFormatException(w.Directory, "lm_head.weight", "required tensor is missing (config.json says tie_word_embeddings is false).");
            }

            lmHead = PackedMatrix.FromOutputByInput([embedding], d);
            tokenEmbedding = null;
        }
        else
        {
            lmHead = PackedMatrix.FromOutputByInput([w.Read("lm_head.weight", v, d)], d);
            tokenEmbedding = embedding;
        }

        return new DecoderModel(c, layers, lmHead, tokenEmbedding, null, w.Read("model.norm.weight", d), null);
    }
}
