using System.Text.Json;
using Mlrb.Eval.Tokenization.Bpe;
using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>
/// Builds a GPT-2-style byte-level BPE tokenizer from <c>vocab.json</c> + <c>merges.txt</c> (also OpenAI's
/// <c>encoder.json</c> + <c>vocab.bpe</c>), as transformers' <c>GPT2Converter</c> would.
/// </summary>
internal static class Gpt2FilesReader
{
    /// <summary>Reads the two files.</summary>
    /// <param name="vocabPath">The token -> id JSON.</param>
    /// <param name="mergesPath">The merges, one <c>"a b"</c> per line, optional <c>#version</c> header.</param>
    /// <param name="settings">Settings from tokenizer_config.json (or defaults).</param>
    /// <returns>The tokenizer.</returns>
    public static HfTokenizer Read(string vocabPath, string mergesPath, SpecialTokenSettings settings)
    {
        var vocab = ReadVocab(vocabPath);
        if (vocab.Count == 0)
        {
            throw new TokenizerLoadException(vocabPath, null, "the vocabulary is empty; this tokenizer cannot encode any text");
        }

        var builder = new MergeTableBuilder(vocab, null, mergesPath, "line");
        var rank = 0;
        var lineNumber = 0;
        TokenizerLoader.OpenBounded(mergesPath, Files.BoundedFile.TokenizerLimit).Dispose();
        foreach (var line in File.ReadLines(mergesPath))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            try
            {
                builder.AddLine(line, rank++);
            }
            catch (TokenizerLoadException ex)
            {
                throw new TokenizerLoadException(mergesPath, $"line {lineNumber}", ex.Message, ex);
            }
        }

        var model = new BpeModel(vocab, builder.Merges, new BpeOptions { MapBytes = true });
        var lookupWithoutAdded = new TokenLookup(model, []);
        settings = TokenizerJsonReader.WithDefaultSpecialTokens(settings, lookupWithoutAdded);

        // The converter registers the special tokens as added tokens (matched in text, skipped by skip_special_tokens).
        var added = new List<AddedToken>();
        foreach (var token in new[] { settings.BosToken, settings.EosToken, settings.UnkToken })
        {
            if (token is not null && added.All(a => a.Content != token) && model.TryGetId(token, out var id))
            {
                added.Add(new AddedToken(id, token, Special: true, Normalized: true));
            }
        }

        var lookup = new TokenLookup(model, added);
        var bos = settings.AddBosToken == true && settings.BosToken is { } b && lookup.Find(b) is { } bosId ? new[] { bosId } : [];
        var template = new SingleTemplate(bos, []);
        var preTokenizer = new ByteLevelPreTokenizer(settings.AddPrefixSpace ?? false, useRegex: true);
        return new HfTokenizer(model, added, null, preTokenizer, new ByteLevelDecoder(), template, settings);
    }

    private static Dictionary<string, int> ReadVocab(string path)
    {
        var fields = new JsonFields(path);
        using var stream = TokenizerLoader.OpenBounded(path, Files.BoundedFile.TokenizerLimit);
        using var doc = fields.Parse(stream);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw fields.Error(string.Empty, "expected an object of token -> id");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
            {
                throw fields.Error(property.Name, $"expected a non-negative integer id, found {property.Value}");
            }

            vocab[property.Name] = id;
        }

        return vocab;
    }
}
