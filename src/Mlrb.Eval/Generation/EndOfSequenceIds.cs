using System.Text.Json;

namespace Mlrb.Eval.Generation;

/// <summary>
/// The token ids that end an output: <c>eos_token_id</c> of <c>generation_config.json</c> (what Hugging Face
/// <c>generate</c> uses), else of <c>config.json</c>; each may be one id or a list (Llama 3 lists two). The tokenizer's
/// EOS is added.
/// </summary>
internal static class EndOfSequenceIds
{
    public static IReadOnlyList<int> Read(string modelDirectory, int? tokenizerEos)
    {
        var ids = new List<int>();
        foreach (var file in new[] { "generation_config.json", "config.json" })
        {
            var found = ReadField(Path.Combine(modelDirectory, file));
            if (found.Count > 0)
            {
                ids.AddRange(found);
                break;
            }
        }

        if (tokenizerEos is { } eos && !ids.Contains(eos))
        {
            ids.Add(eos);
        }

        return ids;
    }

    private static List<int> ReadField(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(Files.BoundedFile.ReadAllBytes(path, Files.BoundedFile.ConfigLimit));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("eos_token_id", out var value))
            {
                return [];
            }

            return value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt32(out var id) => [id],
                JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _)).Select(e => e.GetInt32()).ToList(),
                _ => [],
            };
        }
        catch (JsonException ex)
        {
            throw new Models.ModelFormatException(path, "eos_token_id", $"not valid JSON ({ex.Message}).");
        }
    }
}
