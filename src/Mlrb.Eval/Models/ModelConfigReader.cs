using System.Text.Json;
using Mlrb.Eval.Models.Architectures;

namespace Mlrb.Eval.Models;

/// <summary>Reads a Hugging Face <c>config.json</c> into a <see cref="ModelConfig"/> through the family's <see cref="IArchitecture"/>.</summary>
internal static class ModelConfigReader
{
    /// <summary>Model types this engine runs.</summary>
    public static IReadOnlyList<string> SupportedModelTypes => ArchitectureRegistry.ModelTypes;

    public static ModelConfig Read(string path) => Read(path, out _);

    /// <summary>Most positions a config may declare; larger counts overflow 32-bit position arithmetic (OPT adds 2, tables multiply).</summary>
    public const int MaxPositions = 1 << 30;

    /// <summary>Reads the config and returns the family that binds its weights.</summary>
    public static ModelConfig Read(string path, out IArchitecture architecture)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException(path, null, "config.json not found; a Hugging Face model folder needs one.");
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
                throw new ModelFormatException(path, null, "expected a JSON object.");
            }

            var fields = new ConfigFields(path, root);
            var type = fields.String("model_type") ?? throw new ModelFormatException(path, "model_type", "required field is missing.");
            if (ArchitectureRegistry.EncoderDecoderModelTypes.Contains(type, StringComparer.Ordinal))
            {
                throw new ModelFormatException(path, "model_type", $"'{type}' is an encoder-decoder model: it runs on its own model (scoring with the harness's seq2seq rule, generation through TextGenerator), not on the decoder-only engine.");
            }

            architecture = ArchitectureRegistry.Find(type)
                ?? throw new ModelFormatException(path, "model_type", $"unsupported model type '{type}'; supported: {string.Join(", ", SupportedModelTypes)}.");
            CommonFields.RefuseUnsupportedOptions(fields);
            var config = architecture.ReadConfig(type, fields);
            if (config.KeyValueHeadCount <= 0 || config.HeadCount % config.KeyValueHeadCount != 0)
            {
                throw new ModelFormatException(path, "num_key_value_heads", $"{config.KeyValueHeadCount} does not divide the head count ({config.HeadCount}).");
            }

            if (config.MaxLength <= 0 || config.PositionCount <= 0)
            {
                throw new ModelFormatException(path, "max_position_embeddings", "the model's position count must be positive.");
            }

            if (config.MaxLength > MaxPositions || config.PositionCount > MaxPositions)
            {
                throw new ModelFormatException(path, "max_position_embeddings", $"{Math.Max(config.MaxLength, config.PositionCount)} positions is more than the {MaxPositions} this engine supports (position tables and offsets would overflow).");
            }

            return config;
        }
    }
}
