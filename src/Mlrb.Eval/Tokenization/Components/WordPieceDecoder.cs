namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>WordPiece</c> decoder: tokens after the first lose their prefix or gain a leading space; optional cleanup of spaces before punctuation and contractions.</summary>
/// <param name="prefix">The continuing-subword prefix (<c>##</c>).</param>
/// <param name="cleanup">Apply tokenizers' <c>cleanup</c>.</param>
internal sealed class WordPieceDecoder(string prefix, bool cleanup) : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (i != 0)
            {
                token = token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : " " + token;
            }

            tokens[i] = cleanup ? Cleanup(token) : token;
        }
    }

    /// <summary>tokenizers' <c>decoders::wordpiece::cleanup</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The cleaned text.</returns>
    public static string Cleanup(string text) => text
        .Replace(" .", ".", StringComparison.Ordinal)
        .Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal)
        .Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal)
        .Replace(" do not", " don't", StringComparison.Ordinal)
        .Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);
}
