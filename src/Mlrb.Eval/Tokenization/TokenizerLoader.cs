using Mlrb.Eval.Tokenization.Components;
using Mlrb.Eval.Tokenization.Loading;

namespace Mlrb.Eval.Tokenization;

/// <summary>Loads the tokenizer of a Hugging Face model folder.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads <c>tokenizer.json</c>, else <c>vocab.json</c> + <c>merges.txt</c> (or <c>encoder.json</c> + <c>vocab.bpe</c>),
    /// else a SentencePiece <c>tokenizer.model</c> or <c>spiece.model</c> (BPE or Unigram), with <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> applied.
    /// </summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">No tokenizer file is there, or a file is malformed or unsupported.</exception>
    public static ITokenizer Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        if (!Directory.Exists(modelDirectory))
        {
            throw new TokenizerLoadException(modelDirectory, null, "the model folder does not exist");
        }

        var settings = TokenizerConfigReader.ReadDirectory(modelDirectory);
        var tokenizerJson = Path.Combine(modelDirectory, "tokenizer.json");
        if (File.Exists(tokenizerJson))
        {
            using var stream = OpenBounded(tokenizerJson, Files.BoundedFile.TokenizerLimit);
            return TokenizerJsonReader.Read(stream, tokenizerJson, settings);
        }

        foreach (var (vocab, merges) in new[] { ("vocab.json", "merges.txt"), ("encoder.json", "vocab.bpe") })
        {
            var vocabPath = Path.Combine(modelDirectory, vocab);
            var mergesPath = Path.Combine(modelDirectory, merges);
            if (File.Exists(vocabPath) && File.Exists(mergesPath))
            {
                return Gpt2FilesReader.Read(vocabPath, mergesPath, settings);
            }
        }

        foreach (var name in new[] { "tokenizer.model", "spiece.model" })
        {
            var spm = Path.Combine(modelDirectory, name);
            if (File.Exists(spm))
            {
                return SentencePieceReader.Read(spm, settings);
            }
        }

        throw new TokenizerLoadException(modelDirectory, null,
            "no tokenizer found: expected tokenizer.json, vocab.json + merges.txt, tokenizer.model or spiece.model (score such a model on token ids instead)");
    }

    /// <summary>Opens a tokenizer file within its size limit, refusing devices; errors become <see cref="TokenizerLoadException"/>.</summary>
    internal static FileStream OpenBounded(string path, long limit)
    {
        try
        {
            return Files.BoundedFile.OpenRead(path, limit);
        }
        catch (Files.FileLimitException ex)
        {
            throw new TokenizerLoadException(path, null, ex.Reason);
        }
    }

    /// <summary>Loads a <c>tokenizer.json</c> file; a <c>tokenizer_config.json</c> beside it is applied.</summary>
    /// <param name="tokenizerJsonPath">The file.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">The file is missing, malformed or unsupported.</exception>
    public static ITokenizer LoadTokenizerJson(string tokenizerJsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        if (!File.Exists(tokenizerJsonPath))
        {
            throw new TokenizerLoadException(tokenizerJsonPath, null, "the file does not exist");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(tokenizerJsonPath))!;
        var settings = TokenizerConfigReader.ReadDirectory(directory);
        using var stream = OpenBounded(tokenizerJsonPath, Files.BoundedFile.TokenizerLimit);
        return TokenizerJsonReader.Read(stream, tokenizerJsonPath, settings);
    }

    /// <summary>Loads a <c>tokenizer.json</c> from a stream, with an optional <c>tokenizer_config.json</c> stream.</summary>
    /// <param name="tokenizerJson">The tokenizer.json content.</param>
    /// <param name="tokenizerConfigJson">The tokenizer_config.json content, or null for defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">The content is malformed or unsupported.</exception>
    public static ITokenizer LoadTokenizerJson(Stream tokenizerJson, Stream? tokenizerConfigJson = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        var settings = tokenizerConfigJson is null ? new SpecialTokenSettings() : TokenizerConfigReader.Read(tokenizerConfigJson, TokenizerConfigReader.ConfigFileName);
        return TokenizerJsonReader.Read(tokenizerJson, "tokenizer.json", settings);
    }

    /// <summary>Loads a GPT-2-style <c>vocab.json</c> + <c>merges.txt</c> pair (byte-level BPE); a <c>tokenizer_config.json</c> beside them is applied.</summary>
    /// <param name="vocabJsonPath">The token -> id file (<c>vocab.json</c> or <c>encoder.json</c>).</param>
    /// <param name="mergesPath">The merges file (<c>merges.txt</c> or <c>vocab.bpe</c>).</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">A file is missing or malformed.</exception>
    public static ITokenizer LoadVocabAndMerges(string vocabJsonPath, string mergesPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabJsonPath);
        ArgumentException.ThrowIfNullOrEmpty(mergesPath);
        foreach (var path in new[] { vocabJsonPath, mergesPath })
        {
            if (!File.Exists(path))
            {
                throw new TokenizerLoadException(path, null, "the file does not exist");
            }
        }

        var settings = TokenizerConfigReader.ReadDirectory(Path.GetDirectoryName(Path.GetFullPath(vocabJsonPath))!);
        return Gpt2FilesReader.Read(vocabJsonPath, mergesPath, settings);
    }

    /// <summary>
    /// Loads a SentencePiece model: a BPE <c>tokenizer.model</c> (e.g. Llama-2) as transformers' Llama converter would, or a
    /// Unigram <c>spiece.model</c> (T5) as SentencePiece itself encodes, with T5's <c>&lt;/s&gt;</c> and sentinel tokens;
    /// a <c>tokenizer_config.json</c> beside it is applied.
    /// </summary>
    /// <param name="modelPath">The <c>tokenizer.model</c> or <c>spiece.model</c> file.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">The file is missing, malformed or of another model type.</exception>
    public static ITokenizer LoadSentencePiece(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new TokenizerLoadException(modelPath, null, "the file does not exist");
        }

        var settings = TokenizerConfigReader.ReadDirectory(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
        return SentencePieceReader.Read(modelPath, settings);
    }
}
