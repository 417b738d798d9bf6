using System.Text.Json;

namespace Mlrb.Eval.Models.Adapters;

/// <summary>
/// The fields of a PEFT <c>adapter_config.json</c> that change the merged weights. Fields the engine cannot honour (DoRA, per-module
/// alpha, LoRA biases, Megatron layers, layer replication, non-LoRA PEFT types) are refused by name.
/// </summary>
internal sealed record LoraAdapterConfig
{
    public const string FileName = "adapter_config.json";

    /// <summary>Default rank (<c>r</c>); the rank of each module is read from its <c>lora_A</c> shape (so <c>rank_pattern</c> is honoured).</summary>
    public required int Rank { get; init; }

    /// <summary><c>lora_alpha</c>.</summary>
    public required double Alpha { get; init; }

    /// <summary><c>use_rslora</c>: scale by alpha/sqrt(r) instead of alpha/r.</summary>
    public bool UseRsLora { get; init; }

    /// <summary><c>fan_in_fan_out</c> as written. PEFT overrides it by the layer type (true for GPT-2's Conv1D, false for nn.Linear), and so does the merge.</summary>
    public bool FanInFanOut { get; init; }

    /// <summary><c>target_modules</c> (a list, or a regular expression as one entry).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = [];

    /// <summary><c>modules_to_save</c>: modules trained whole; their tensors in the adapter replace the base's.</summary>
    public IReadOnlyList<string> ModulesToSave { get; init; } = [];

    /// <summary><c>base_model_name_or_path</c>, or null.</summary>
    public string? BaseModel { get; init; }

    /// <summary>The scale of module of rank <paramref name="rank"/>: <c>lora_alpha / r</c>, or <c>lora_alpha / sqrt(r)</c> with rsLoRA.</summary>
    public double Scale(int rank) => Alpha / (UseRsLora ? Math.Sqrt(rank) : rank);

    /// <summary>Reads and checks <c>adapter_config.json</c> in <paramref name="directory"/>.</summary>
    public static LoraAdapterConfig Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new ModelFormatException(directory, FileName, "no adapter_config.json in the adapter folder (a PEFT adapter folder has adapter_config.json and adapter_model.safetensors).");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(Files.BoundedFile.ReadAllBytes(path, Files.BoundedFile.ConfigLimit));
        }
        catch (Files.FileLimitException ex)
        {
            throw new ModelFormatException(path, null, ex.Reason);
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
                throw new ModelFormatException(path, null, "must be a JSON object.");
            }

            var type = String(root, "peft_type", path);
            if (type is not null && !type.Equals("LORA", StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelFormatException(path, "peft_type", $"'{type}' is not supported; only LoRA adapters (peft_type LORA) are merged.");
            }

            Refuse(root, path, "use_dora", e => e.ValueKind == JsonValueKind.True, "DoRA (use_dora: true) is not supported; merge the adapter with PEFT's merge_and_unload and pass the merged folder.");
            Refuse(root, path, "lora_bias", e => e.ValueKind == JsonValueKind.True, "LoRA biases (lora_bias: true) are not supported.");
            Refuse(root, path, "alpha_pattern", NonEmpty, "per-module alpha (alpha_pattern) is not supported.");
            Refuse(root, path, "megatron_config", e => e.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined), "Megatron-parallel LoRA layers (megatron_config) are not supported.");
            Refuse(root, path, "layer_replication", NonEmpty, "layer_replication is not supported.");
            Refuse(root, path, "target_parameters", NonEmpty, "LoRA on bare parameters (target_parameters) is not supported.");

            var rank = root.TryGetProperty("r", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var ri) && ri > 0
                ? ri
                : throw new ModelFormatException(path, "r", "must be a positive integer.");
            var alpha = root.TryGetProperty("lora_alpha", out var a) && a.ValueKind == JsonValueKind.Number
                ? a.GetDouble()
                : root.TryGetProperty("lora_alpha", out _) ? throw new ModelFormatException(path, "lora_alpha", "must be a number.") : 8.0; // PEFT's default
            return new LoraAdapterConfig
            {
                Rank = rank,
                Alpha = alpha,
                UseRsLora = Bool(root, "use_rslora", path),
                FanInFanOut = Bool(root, "fan_in_fan_out", path),
                TargetModules = Strings(root, "target_modules", path),
                ModulesToSave = Strings(root, "modules_to_save", path),
                BaseModel = String(root, "base_model_name_or_path", path),
            };
        }
    }

    private static bool NonEmpty(JsonElement e)
        => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().Any(),
            JsonValueKind.Array => e.GetArrayLength() > 0,
            JsonValueKind.String => e.GetString()!.Length > 0,
            JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => false,
            _ => true,
        };

    private static void Refuse(JsonElement root, string path, string field, Func<JsonElement, bool> unsupported, string problem)
    {
        if (root.TryGetProperty(field, out var e) && unsupported(e))
        {
            throw new ModelFormatException(path, field, problem);
        }
    }

    private static bool Bool(JsonElement root, string field, string path)
        => !root.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null
            ? false
            : e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw new ModelFormatException(path, field, "must be true or false.");

    private static string? String(JsonElement root, string field, string path)
        => !root.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null
            ? null
            : e.ValueKind == JsonValueKind.String ? e.GetString() : throw new ModelFormatException(path, field, "must be a string.");

    private static string[] Strings(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (e.ValueKind == JsonValueKind.String)
        {
            return [e.GetString()!];
        }

        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            throw new ModelFormatException(path, field, "must be a string or a list of strings.");
        }

        return e.EnumerateArray().Select(x => x.GetString()!).ToArray();
    }
}
