using System.Text.Json;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>Config fields shared by several families: RoPE scaling, sliding windows, activations, the harness max length.</summary>
internal static class CommonFields
{
    /// <summary>lm-evaluation-harness: the first of n_positions, max_position_embeddings, n_ctx.</summary>
    public static int? HarnessMaxLength(ConfigFields f) => f.Int("n_positions") ?? f.Int("max_position_embeddings") ?? f.Int("n_ctx");

    /// <summary>Maps a Hugging Face activation name (<c>ACT2FN</c> key) to a function, or refuses it.</summary>
    public static ActivationFunction ActivationFor(ConfigFields f, string field, string name) => name switch
    {
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => ActivationFunction.GeluTanh,
        "gelu" => ActivationFunction.GeluErf,
        "relu" => ActivationFunction.Relu,
        "silu" or "swish" => ActivationFunction.Silu,
        _ => throw f.Error(field, $"unsupported activation '{name}'; supported: gelu_new, gelu_pytorch_tanh, gelu_fast, gelu, relu, silu."),
    };

    /// <summary>
    /// Reads <c>rope_theta</c> (or <paramref name="thetaField"/>) and <c>rope_scaling</c>; refuses scaling variants it does not implement by name.
    /// </summary>
    public static RopeConfig Rope(ConfigFields f, int rotaryDimensions, int maxPositions, string thetaField = "rope_theta", double defaultTheta = 10000.0)
    {
        if (rotaryDimensions <= 0 || rotaryDimensions % 2 != 0)
        {
            throw f.Error("partial_rotary_factor", $"gives {rotaryDimensions} rotary dimensions per head; it must be a positive even number.");
        }

        var theta = f.Double(thetaField) ?? defaultTheta;
        var rope = new RopeConfig { Theta = theta, Dimensions = rotaryDimensions };
        if (f.Object("rope_scaling") is not { } s)
        {
            return rope;
        }

        var kind = (s.TryGetProperty("rope_type", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null)
            ?? (s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            ?? "default";
        double? Num(string name) => f.Double(s, name, "rope_scaling." + name);
        double Required(string name) => Num(name) ?? throw f.Error("rope_scaling." + name, $"required for '{kind}' RoPE scaling.");
        var original = f.Int(s, "original_max_position_embeddings", "rope_scaling.original_max_position_embeddings") ?? f.Int("original_max_position_embeddings");
        switch (kind)
        {
            case "default":
                return rope;
            case "linear":
                return rope with { Scaling = RopeScaling.Linear, Factor = Required("factor") };
            case "dynamic":
                return rope with { Scaling = RopeScaling.Dynamic, Factor = Required("factor") };
            case "yarn":
                var yarnOriginal = original ?? maxPositions;
                return rope with
                {
                    Scaling = RopeScaling.Yarn,
                    Factor = Num("factor") ?? ((double)maxPositions / yarnOriginal),
                    OriginalMaxPositions = yarnOriginal,
                    AttentionFactor = Num("attention_factor"),
                    BetaFast = Num("beta_fast") ?? 32,
                    BetaSlow = Num("beta_slow") ?? 1,
                    MScale = Num("mscale"),
                    MScaleAllDim = Num("mscale_all_dim"),
                    Truncate = !(s.TryGetProperty("truncate", out var tr) && tr.ValueKind == JsonValueKind.False),
                };
            case "llama3":
                return rope with
                {
                    Scaling = RopeScaling.Llama3,
                    Factor = Required("factor"),
                    LowFrequencyFactor = Required("low_freq_factor"),
                    HighFrequencyFactor = Required("high_freq_factor"),
                    OriginalMaxPositions = original ?? throw f.Error("rope_scaling.original_max_position_embeddings", "required for 'llama3' RoPE scaling."),
                };
            case "longrope" or "su":
                var longOriginal = original ?? maxPositions;
                var shortFactor = Factors(f, s, "short_factor", rotaryDimensions / 2);
                var longFactor = Factors(f, s, "long_factor", rotaryDimensions / 2);
                return rope with
                {
                    Scaling = RopeScaling.LongRope,
                    Factor = Num("factor") ?? ((double)maxPositions / longOriginal),
                    OriginalMaxPositions = longOriginal,
                    AttentionFactor = Num("attention_factor"),
                    ShortFactor = shortFactor,
                    LongFactor = longFactor,
                };
            default:
                throw f.Error("rope_scaling", $"unsupported RoPE scaling '{kind}'; supported: linear, dynamic, yarn, llama3, longrope (su).");
        }
    }

    /// <summary>
    /// The sliding window and the layers that use it: <c>layer_types</c> when present, else every layer (Mistral, Phi-3), Qwen2's
    /// <c>use_sliding_window</c>/<c>max_window_layers</c>, or Gemma-2's even layers (as the caller says).
    /// </summary>
    public static (int? Window, IReadOnlyList<bool>? Layers) SlidingWindow(ConfigFields f, int layers, Func<int, bool>? defaultLayers = null, int? defaultWindow = null)
    {
        var window = f.Root.TryGetProperty("sliding_window", out _) ? f.Int("sliding_window") : defaultWindow;
        if (window is null)
        {
            return (null, null);
        }

        if (window <= 0)
        {
            throw f.Error("sliding_window", $"must be positive, found {window}.");
        }

        if (f.Strings("layer_types") is { } types)
        {
            if (types.Count != layers)
            {
                throw f.Error("layer_types", $"has {types.Count} entries for {layers} layers.");
            }

            var list = new bool[layers];
            for (var l = 0; l < layers; l++)
            {
                list[l] = types[l] switch
                {
                    "sliding_attention" => true,
                    "full_attention" => false,
                    _ => throw f.Error("layer_types", $"unsupported layer type '{types[l]}'; supported: sliding_attention, full_attention."),
                };
            }

            return (window, list);
        }

        return (window, defaultLayers is null ? null : Enumerable.Range(0, layers).Select(defaultLayers).ToList());
    }

    /// <summary>Refuses quantized checkpoints and other whole-model options the engine does not run.</summary>
    public static void RefuseUnsupportedOptions(ConfigFields f)
    {
        if (f.Has("quantization_config"))
        {
            throw f.Error("quantization_config", "quantized checkpoints (bitsandbytes, GPTQ, AWQ, ...) are not supported; give the folder of the unquantized fp32/fp16/bf16 model.");
        }
    }

    private static double[] Factors(ConfigFields f, JsonElement scaling, string name, int count)
    {
        var field = "rope_scaling." + name;
        if (!scaling.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
        {
            throw f.Error(field, "required list is missing for 'longrope' RoPE scaling.");
        }

        var values = v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw f.Error(field, $"expected numbers, found {e.GetRawText()}.")).ToArray();
        return values.Length == count ? values : throw f.Error(field, $"has {values.Length} factors; the rotary dimensions need {count}.");
    }
}
