using System.Text.Json;
using Mlrb.Eval.Tokenization.Models;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>Reads a tokenizer.json <c>model</c> of type WordPiece (<c>vocab</c>, <c>unk_token</c>, <c>continuing_subword_prefix</c>, <c>max_input_chars_per_word</c>) or WordLevel.</summary>
/// <param name="f">Field access for the file.</param>
internal sealed class WordPieceJsonReader(JsonFields f)
{
    /// <summary>Reads a WordPiece model.</summary>
    /// <param name="model">The <c>model</c> object.</param>
    /// <returns>The model.</returns>
    public WordPieceModel Read(JsonElement model)
    {
        const string path = "model";
        var max = f.OptionalInt(model, "max_input_chars_per_word", path) ?? 100;
        if (max < 0)
        {
            throw f.Error("model.max_input_chars_per_word", "must not be negative");
        }

        return new WordPieceModel(
            ReadVocab(model),
            f.OptionalString(model, "unk_token", path) ?? "[UNK]",
            f.OptionalString(model, "continuing_subword_prefix", path) ?? "##",
            max);
    }

    /// <summary>Reads a WordLevel model.</summary>
    /// <param name="model">The <c>model</c> object.</param>
    /// <returns>The model.</returns>
    public WordLevelModel ReadWordLevel(JsonElement model)
        => new(ReadVocab(model), f.OptionalString(model, "unk_token", "model") ?? "<unk>");

    private Dictionary<string, int> ReadVocab(JsonElement model)
    {
        var vocab = f.Required(model, "vocab", "model");
        if (vocab.ValueKind != JsonValueKind.Object)
        {
            throw f.Error("model.vocab", $"expected an object of token -> id, found {vocab.ValueKind}");
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in vocab.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
            {
                throw f.Error("model.vocab", $"token '{property.Name}' has id {property.Value}, expected a non-negative integer");
            }

            result[property.Name] = id;
        }

        return result;
    }
}
