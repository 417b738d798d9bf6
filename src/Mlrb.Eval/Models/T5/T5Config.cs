using System.Text.Json;
using Mlrb.Eval.Inference;
using Mlrb.Eval.Models.Architectures;

namespace Mlrb.Eval.Models.T5;

/// <summary>
/// A T5 <c>config.json</c> (T5 v1.0, T5 v1.1, FLAN-T5): the fields that change the maths, with <c>T5Config</c>'s defaults for those a file
/// leaves out. Fields the engine does not honour are refused by name.
/// </summary>
internal sealed record T5Config
{
    public const string ModelType = "t5";

    public required int VocabularySize { get; init; }

    public required int ModelWidth { get; init; }

    public required int HeadDimension { get; init; }

    public required int FeedForwardWidth { get; init; }

    public required int EncoderLayers { get; init; }

    public required int DecoderLayers { get; init; }

    public required int HeadCount { get; init; }

    public int Buckets { get; init; } = 32;

    public int MaxDistance { get; init; } = 128;

    public float NormEpsilon { get; init; } = 1e-6f;

    /// <summary>The feed-forward activation (gated for <c>gated-*</c>: <c>act(wi_0 x) · wi_1 x</c>).</summary>
    public required Activation Activation { get; init; }

    /// <summary>Whether the head is the shared embedding (then the decoder output is scaled by <c>d_model^-0.5</c> first).</summary>
    public bool TiedHead { get; init; } = true;

    public int DecoderStartTokenId { get; init; }

    public int? EosTokenId { get; init; } = 1;

    /// <summary>n_positions / max_position_embeddings / n_ctx as the harness reads them (T5's Hub configs have <c>n_positions: 512</c>), or null.</summary>
    public int? HarnessMaxLength { get; init; }

    public int InnerWidth => HeadCount * HeadDimension;

    /// <summary>Whether <paramref name="directory"/>'s <c>config.json</c> says <c>model_type: t5</c>.</summary>
    public static bool IsT5(string directory)
    {
        var path = Path.Combine(directory, "config.json");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(Files.BoundedFile.ReadAllBytes(path, Files.BoundedFile.ConfigLimit));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("model_type", out var t)
                && t.ValueKind == JsonValueKind.String && t.GetString() == ModelType;
        }
        catch (Exception ex) when (ex is JsonException or Files.FileLimitException)
        {
            return false; // the decoder-only reader reports the malformed or oversized file
        }
    }

    public static T5Config Read(string directory)
    {
        var path = Path.Combine(directory, "config.json");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(Files.BoundedFile.ReadAllBytes(path, Files.BoundedFile.ConfigLimit));
        }
        catch (Files.FileLimitException ex)
        {
            throw new ModelFormatException(path, null, ex.Reason);
        }

        using var owner = doc;
        var f = new ConfigFields(path, doc.RootElement);
        CommonFields.RefuseUnsupportedOptions(f);
        var layers = f.Int("num_layers") ?? 6;
        var proj = f.String("feed_forward_proj") ?? "relu";
        var parts = proj.Split('-');
        var gated = parts[0] == "gated";
        if (parts.Length > 2 || (parts.Length == 2 && !gated))
        {
            throw f.Error("feed_forward_proj", $"'{proj}' is not a valid activation; T5 uses 'relu', 'gated-gelu' or '[gated-]ACT'.");
        }

        // transformers maps 'gated-gelu' to gelu_new (the tanh GELU) for backwards compatibility.
        var act = proj == "gated-gelu" ? "gelu_new" : parts[^1];
        var config = new T5Config
        {
            VocabularySize = f.Int("vocab_size") ?? 32128,
            ModelWidth = f.Int("d_model") ?? 512,
            HeadDimension = f.Int("d_kv") ?? 64,
            FeedForwardWidth = f.Int("d_ff") ?? 2048,
            EncoderLayers = layers,
            DecoderLayers = f.Int("num_decoder_layers") ?? layers,
            HeadCount = f.Int("num_heads") ?? 8,
            Buckets = f.Int("relative_attention_num_buckets") ?? 32,
            MaxDistance = f.Int("relative_attention_max_distance") ?? 128,
            NormEpsilon = (float)(f.Double("layer_norm_epsilon") ?? 1e-6),
            Activation = new Activation(CommonFields.ActivationFor(f, "feed_forward_proj", act), gated),
            TiedHead = f.Bool("tie_word_embeddings") ?? true,
            DecoderStartTokenId = f.Int("decoder_start_token_id") ?? f.Int("pad_token_id") ?? 0,
            EosTokenId = f.Int("eos_token_id") ?? 1,
            HarnessMaxLength = CommonFields.HarnessMaxLength(f),
        };
        if (f.Bool("is_decoder") == true || f.Bool("is_encoder_decoder") == false)
        {
            throw f.Error("is_encoder_decoder", "only the encoder-decoder T5 (T5ForConditionalGeneration) is scored; encoder-only or decoder-only T5 configs are not.");
        }

        foreach (var (name, value) in new[] { ("vocab_size", config.VocabularySize), ("d_model", config.ModelWidth), ("d_kv", config.HeadDimension), ("d_ff", config.FeedForwardWidth), ("num_layers", config.EncoderLayers), ("num_decoder_layers", config.DecoderLayers), ("num_heads", config.HeadCount), ("relative_attention_num_buckets", config.Buckets), ("relative_attention_max_distance", config.MaxDistance) })
        {
            if (value <= 0)
            {
                throw f.Error(name, $"must be positive (is {value}).");
            }
        }

        return config;
    }
}
