using System.Text.Json;
using Mlrb.Eval.Tokenization.Models;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>Reads a tokenizer.json <c>model</c> of type Unigram: <c>vocab</c> as [piece, score] pairs, <c>unk_id</c>, <c>byte_fallback</c>.</summary>
/// <param name="f">Field access for the file.</param>
internal sealed class UnigramJsonReader(JsonFields f)
{
    /// <summary>Reads the model.</summary>
    /// <param name="model">The <c>model</c> object.</param>
    /// <returns>The model.</returns>
    public UnigramModel Read(JsonElement model)
    {
        const string path = "model";
        var vocab = f.Required(model, "vocab", path);
        if (vocab.ValueKind != JsonValueKind.Array)
        {
            throw f.Error("model.vocab", $"expected an array of [piece, score] pairs, found {vocab.ValueKind}");
        }

        var count = vocab.GetArrayLength();
        var pieces = new string[count];
        var scores = new double[count];
        var i = 0;
        foreach (var item in vocab.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2 || item[0].ValueKind != JsonValueKind.String
                || item[1].ValueKind != JsonValueKind.Number)
            {
                throw f.Error($"model.vocab[{i}]", $"expected [piece, score], found {item}");
            }

            pieces[i] = item[0].GetString()!;
            scores[i] = item[1].GetDouble();
            i++;
        }

        var unkId = f.OptionalInt(model, "unk_id", path) ?? -1;
        try
        {
            return new UnigramModel(pieces, scores, unkId, f.OptionalBool(model, "byte_fallback", path) ?? false);
        }
        catch (ArgumentException ex)
        {
            throw new TokenizerLoadException(f.File, "model.vocab", ex.Message, ex);
        }
    }
}
