using System.Globalization;
using System.Text.Json;

namespace Mlrb.Eval.Models;

/// <summary>Reads a Hugging Face <c>config.json</c> into a <see cref="ModelConfig"/>.</summary>
internal static class ModelConfigReader
{
    /// <summary>Model types this engine runs.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["gpt2", "llama", "mistral", "qwen2"];

    public static ModelConfig Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException(path, null, "config.json not found; a Hugging Face model folder needs one.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(path, null, $"not valid JSON ({ex.Message}).");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(path, null, "expected a JSON object.");
            }

            var reader = new FieldReader(path, root);
            var type = reader.String("model_type") ?? throw new ModelFormatException(path, "model_type", "required field is missing.");
            return type switch
            {
                "gpt2" => ReadGpt2(reader, path),
                "llama" or "mistral" or "qwen2" => ReadLlama(reader, type, path),
                _ => throw new ModelFormatException(path, "model_type", $"unsupported model type '{type}'; supported: {string.Join(", ", SupportedModelTypes)}."),
            };
        }
    }

    private static ModelConfig ReadGpt2(FieldReader r, string path)
    {
        var hidden = r.RequiredInt("n_embd");
        var heads = r.RequiredInt("n_head");
        CheckDivisible(path, "n_embd", hidden, heads);
        var activation = r.String("activation_function") ?? "gelu_new";
        if (activation is not ("gelu_new" or "gelu_pytorch_tanh" or "gelu_fast"))
        {
            throw new ModelFormatException(path, "activation_function", $"unsupported activation '{activation}'; this engine runs gelu_new (tanh approximation).");
        }

        var positions = r.Int("n_positions") ?? r.Int("n_ctx") ?? 1024;
        return new ModelConfig
        {
            ModelType = "gpt2",
            VocabularySize = r.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = r.RequiredInt("n_layer"),
            HeadCount = heads,
            KeyValueHeadCount = heads,
            HeadDimension = hidden / heads,
            IntermediateSize = r.Int("n_inner") ?? 4 * hidden,
            PositionCount = positions,
            MaxLength = ResolveMaxLength(r) ?? positions,
            NormEpsilon = (float)(r.Double("layer_norm_epsilon") ?? 1e-5),
            TieWordEmbeddings = true,
            BosTokenId = r.Int("bos_token_id"),
            EosTokenId = r.Int("eos_token_id"),
            Activation = "gelu_new",
        };
    }

    private static ModelConfig ReadLlama(FieldReader r, string type, string path)
    {
        var hidden = r.RequiredInt("hidden_size");
        var heads = r.RequiredInt("num_attention_heads");
        var kvHeads = r.Int("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw new ModelFormatException(path, "num_key_value_heads", $"{kvHeads} does not divide num_attention_heads ({heads}).");
        }

        var headDim = r.Int("head_dim") ?? (hidden % heads == 0 ? hidden / heads : throw new ModelFormatException(path, "hidden_size", $"{hidden} is not divisible by num_attention_heads ({heads})."));
        var activation = r.String("hidden_act") ?? "silu";
        if (activation != "silu")
        {
            throw new ModelFormatException(path, "hidden_act", $"unsupported activation '{activation}'; Llama-family models here use silu.");
        }

        var factor = 1.0;
        if (r.Root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind == JsonValueKind.Object)
        {
            var kind = (scaling.TryGetProperty("rope_type", out var rt) ? rt.GetString() : null)
                ?? (scaling.TryGetProperty("type", out var t) ? t.GetString() : null);
            if (kind is not ("linear" or "default"))
            {
                throw new ModelFormatException(path, "rope_scaling", $"unsupported RoPE scaling '{kind}'; supported: linear.");
            }

            if (kind == "linear")
            {
                factor = scaling.TryGetProperty("factor", out var f) && f.ValueKind == JsonValueKind.Number
                    ? f.GetDouble()
                    : throw new ModelFormatException(path, "rope_scaling.factor", "required for linear RoPE scaling.");
            }
        }

        var positions = r.Int("max_position_embeddings") ?? 2048;
        return new ModelConfig
        {
            ModelType = type,
            VocabularySize = r.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = r.RequiredInt("num_hidden_layers"),
            HeadCount = heads,
            KeyValueHeadCount = kvHeads,
            HeadDimension = headDim,
            IntermediateSize = r.RequiredInt("intermediate_size"),
            PositionCount = positions,
            MaxLength = ResolveMaxLength(r) ?? positions,
            NormEpsilon = (float)(r.Double("rms_norm_eps") ?? 1e-6),
            RopeTheta = r.Double("rope_theta") ?? 10000.0,
            RopeScalingFactor = factor,
            TieWordEmbeddings = r.Bool("tie_word_embeddings") ?? false,
            BosTokenId = r.Int("bos_token_id"),
            EosTokenId = r.Int("eos_token_id"),
            Activation = activation,
        };
    }

    /// <summary>lm-evaluation-harness: the first of n_positions, max_position_embeddings, n_ctx.</summary>
    private static int? ResolveMaxLength(FieldReader r)
        => r.Int("n_positions") ?? r.Int("max_position_embeddings") ?? r.Int("n_ctx");

    private static void CheckDivisible(string path, string field, int value, int heads)
    {
        if (heads <= 0 || value % heads != 0)
        {
            throw new ModelFormatException(path, field, $"{value} is not divisible by the head count ({heads}).");
        }
    }

    private sealed class FieldReader(string path, JsonElement root)
    {
        public JsonElement Root { get; } = root;

        public string? String(string name)
            => Root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        public int? Int(string name)
        {
            if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
            {
                return i;
            }

            throw new ModelFormatException(path, name, $"expected an integer, found {v.GetRawText()}.");
        }

        public int RequiredInt(string name)
        {
            var value = Int(name) ?? throw new ModelFormatException(path, name, "required field is missing.");
            if (value <= 0)
            {
                throw new ModelFormatException(path, name, string.Create(CultureInfo.InvariantCulture, $"must be positive, found {value}."));
            }

            return value;
        }

        public double? Double(string name)
        {
            if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new ModelFormatException(path, name, $"expected a number, found {v.GetRawText()}.");
        }

        public bool? Bool(string name)
        {
            if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new ModelFormatException(path, name, $"expected true or false, found {v.GetRawText()}."),
            };
        }
    }
}
