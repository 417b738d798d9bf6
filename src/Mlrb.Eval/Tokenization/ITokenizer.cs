namespace Mlrb.Eval.Tokenization;

/// <summary>A Hugging Face tokenizer as lm-evaluation-harness uses it (<c>tokenizer.encode</c>, <c>decode</c>, BOS/EOS).</summary>
public interface ITokenizer
{
    /// <summary>Encodes text to token ids, as <c>tokenizer.encode(text, add_special_tokens=...)</c> does.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecialTokens">Apply the post-processor (e.g. Llama's leading BOS).</param>
    /// <returns>The token ids.</returns>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true);

    /// <summary>Decodes token ids to text.</summary>
    /// <param name="ids">The token ids.</param>
    /// <param name="skipSpecialTokens">Leave special tokens out.</param>
    /// <returns>The text.</returns>
    string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false);

    /// <summary>Id of the beginning-of-sequence token, if the tokenizer has one.</summary>
    int? BosTokenId { get; }

    /// <summary>Id of the end-of-sequence token, if the tokenizer has one.</summary>
    int? EosTokenId { get; }

    /// <summary>Text of the beginning-of-sequence token, if any.</summary>
    string? BosToken { get; }

    /// <summary>Number of ids in the vocabulary, added tokens included.</summary>
    int VocabularySize { get; }

    /// <summary>
    /// <c>model_max_length</c> from <c>tokenizer_config.json</c>, or null when it is absent or the 1e30 "no limit" sentinel.
    /// </summary>
    int? ModelMaxLength => null;

    /// <summary>The vocabulary string of a token id (byte-level tokens in their mapped form, e.g. <c>Ġthe</c>), or null for an unknown id.</summary>
    /// <param name="id">The token id.</param>
    /// <returns>The token string, or null.</returns>
    string? IdToToken(int id) => null;
}
