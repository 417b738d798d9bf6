using System.Text.Json;
using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>Reads <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> (BOS/EOS/UNK, <c>add_bos_token</c>, <c>model_max_length</c>, ...).</summary>
internal static class TokenizerConfigReader
{
    /// <summary>File name of the tokenizer configuration.</summary>
    public const string ConfigFileName = "tokenizer_config.json";

    /// <summary>File name of the special-tokens map.</summary>
    public const string SpecialTokensMapFileName = "special_tokens_map.json";

    /// <summary>Reads the two files of a folder; either may be absent. <c>special_tokens_map.json</c> wins for token texts, as in transformers.</summary>
    /// <param name="directory">The model folder.</param>
    /// <returns>The settings.</returns>
    public static SpecialTokenSettings ReadDirectory(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        var mapPath = Path.Combine(directory, SpecialTokensMapFileName);
        SpecialTokenSettings settings = new();
        if (File.Exists(configPath))
        {
            using var stream = TokenizerLoader.OpenBounded(configPath, Files.BoundedFile.ConfigLimit);
            settings = Read(stream, configPath);
        }

        if (File.Exists(mapPath))
        {
            using var stream = TokenizerLoader.OpenBounded(mapPath, Files.BoundedFile.ConfigLimit);
            var map = Read(stream, mapPath);
            settings = settings with
            {
                BosToken = map.BosToken ?? settings.BosToken,
                EosToken = map.EosToken ?? settings.EosToken,
                UnkToken = map.UnkToken ?? settings.UnkToken,
            };
        }

        return settings;
    }

    /// <summary>Reads one configuration file.</summary>
    /// <param name="stream">The JSON.</param>
    /// <param name="file">The file name used in messages.</param>
    /// <returns>The settings.</returns>
    public static SpecialTokenSettings Read(Stream stream, string file)
    {
        var fields = new JsonFields(file);
        using var doc = fields.Parse(stream);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw fields.Error(string.Empty, "expected a JSON object at the top level");
        }

        return new SpecialTokenSettings
        {
            BosToken = TokenText(fields, root, "bos_token"),
            EosToken = TokenText(fields, root, "eos_token"),
            UnkToken = TokenText(fields, root, "unk_token"),
            AddBosToken = fields.OptionalBool(root, "add_bos_token", string.Empty),
            AddEosToken = fields.OptionalBool(root, "add_eos_token", string.Empty),
            Legacy = fields.OptionalBool(root, "legacy", string.Empty),
            AddPrefixSpace = fields.OptionalBool(root, "add_prefix_space", string.Empty),
            TokenizerClass = fields.OptionalString(root, "tokenizer_class", string.Empty),
            ModelMaxLength = MaxLength(fields, root),
            ExtraIds = fields.OptionalInt(root, "extra_ids", string.Empty) is { } extra and (< 0 or > 100_000)
                ? throw fields.Error("extra_ids", $"expected 0 to 100000, found {extra}")
                : fields.OptionalInt(root, "extra_ids", string.Empty),
        };
    }

    private static string? TokenText(JsonFields fields, JsonElement root, string name)
    {
        var value = JsonFields.Optional(root, name);
        if (value is null)
        {
            return null;
        }

        return value.Value.ValueKind switch
        {
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Object => fields.RequiredString(value.Value, "content", name),
            _ => throw fields.Error(name, $"expected a string or an AddedToken object, found {value.Value.ValueKind}"),
        };
    }

    private static int? MaxLength(JsonFields fields, JsonElement root)
    {
        var value = JsonFields.Optional(root, "model_max_length");
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number) || number <= 0)
        {
            throw fields.Error("model_max_length", $"expected a positive number, found {value.Value}");
        }

        // transformers writes 1e30 (VERY_LARGE_INTEGER) when there is no limit.
        return number >= int.MaxValue ? null : (int)number;
    }
}
