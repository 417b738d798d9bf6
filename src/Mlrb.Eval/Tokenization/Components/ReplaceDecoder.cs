namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Replace</c> decoder: the Replace normalizer applied to each token.</summary>
/// <param name="replace">The replacement rule.</param>
internal sealed class ReplaceDecoder(ReplaceNormalizer replace) : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i] = replace.Normalize(tokens[i]);
        }
    }
}
